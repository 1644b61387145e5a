package io.mailroom.core.tokens;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;

/**
 * The MSAL cache of one service during a token call: MSAL reads it before and writes it after each call;
 * the caller persists it afterwards when {@link #changed()} (with {@link TokenCaches#compareAndSet} or
 * {@link TokenCaches#replace}). Not thread-safe: one token call at a time per instance.
 */
public final class TokenCacheSession implements ITokenCacheAccessAspect {

	private String json;

	private boolean changed;

	/** A session over a stored cache, or over nothing (before the first authorization). */
	public TokenCacheSession(String json) {
		this.json = json;
	}

	@Override
	public void beforeCacheAccess(ITokenCacheAccessContext context) {
		if (json != null) {
			context.tokenCache().deserialize(json);
		}
	}

	@Override
	public void afterCacheAccess(ITokenCacheAccessContext context) {
		if (context.hasCacheChanged()) {
			json = context.tokenCache().serialize();
			changed = true;
		}
	}

	/** Whether the last call changed the cache (a token was redeemed or refreshed). */
	public boolean changed() {
		return changed;
	}

	/** The cache as MSAL last left it; holds the refresh token. */
	public String json() {
		return json;
	}

	/** Starts over from a cache someone else saved. */
	public void reset(String json) {
		this.json = json;
		this.changed = false;
	}

}
