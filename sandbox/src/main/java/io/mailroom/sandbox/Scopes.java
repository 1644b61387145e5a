package io.mailroom.sandbox;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@code scope} parameter split into the OpenID Connect scopes and the scopes of one resource
 * (Exchange Online, Microsoft Graph), as the v2.0 endpoints understand it.
 *
 * @param oidc {@code openid}, {@code profile}, {@code email}, {@code offline_access} as requested
 * @param resourceScopes the resource's scopes in full form, e.g. {@code https://outlook.office.com/SMTP.Send}
 */
record Scopes(Set<String> oidc, Set<String> resourceScopes) {

	static final String SMTP_SEND = "https://outlook.office.com/SMTP.Send";

	private static final Set<String> OIDC = Set.of("openid", "profile", "email", "offline_access");

	private static final Set<String> RESOURCES = Set.of("https://outlook.office.com", "https://outlook.office365.com",
			"https://graph.microsoft.com");

	private static final String GRAPH = "https://graph.microsoft.com";

	/** The scopes of a request, or the error the identity platform answers a bad {@code scope} with. */
	static Scopes parse(String scope, String tenant) throws IdentityFailure {
		return parse(scope, tenant, false);
	}

	/**
	 * The scopes of an authorize request: consent may cover several resources at once (the code is then
	 * redeemed for one, and the refresh token serves the others).
	 */
	static Scopes parseForConsent(String scope, String tenant) throws IdentityFailure {
		return parse(scope, tenant, true);
	}

	private static Scopes parse(String scope, String tenant, boolean manyResources) throws IdentityFailure {
		Set<String> oidc = new LinkedHashSet<>();
		Set<String> resourceScopes = new LinkedHashSet<>();
		for (String requested : scope.trim().split("\\s+")) {
			if (requested.isEmpty()) {
				continue;
			}
			if (OIDC.contains(requested)) {
				oidc.add(requested);
			}
			else {
				// Bare permission names ("Mail.Send") belong to Microsoft Graph.
				resourceScopes.add(requested.contains("/") ? requested : GRAPH + "/" + requested);
			}
		}
		Set<String> resources = resourceScopes.stream().map(Scopes::resource).collect(Collectors.toSet());
		if (resources.size() > 1 && !manyResources) {
			throw new IdentityFailure(IdentityError.moreThanOneResource(scope));
		}
		for (String resource : resources) {
			if (!RESOURCES.contains(resource)) {
				throw new IdentityFailure(IdentityError.resourceNotFound(resource, tenant));
			}
		}
		if (oidc.isEmpty() && resourceScopes.isEmpty()) {
			throw new IdentityFailure(IdentityError.scopeNotValid(scope));
		}
		return new Scopes(oidc, resourceScopes);
	}

	static String resource(String scope) {
		int slash = scope.lastIndexOf('/');
		return (slash < 0) ? GRAPH : scope.substring(0, slash);
	}

	/**
	 * One name per API: Exchange Online answers to {@code outlook.office.com} (delegated scopes) and
	 * {@code outlook.office365.com} (the {@code .default} of app-only access) alike.
	 */
	static String canonicalResource(String resource) {
		return resource.equals("https://outlook.office.com") ? "https://outlook.office365.com" : resource;
	}

	/** Whether an access token with these scopes may send through Exchange Online SMTP AUTH. */
	static boolean allowsSmtpSend(Set<String> scopes) {
		return scopes.stream().anyMatch((scope) -> {
			String resource = resource(scope);
			String permission = scope.substring(scope.lastIndexOf('/') + 1);
			return (resource.equals("https://outlook.office.com") || resource.equals("https://outlook.office365.com"))
					&& (permission.equals("SMTP.Send") || permission.equals(".default"));
		});
	}

	boolean openId() {
		return this.oidc.contains("openid");
	}

	boolean offlineAccess() {
		return this.oidc.contains("offline_access");
	}

	/** The {@code scope} member of a token response: the resource's scopes; OIDC scopes are not echoed. */
	String granted() {
		return String.join(" ", this.resourceScopes);
	}

	Set<String> all() {
		Set<String> all = new LinkedHashSet<>(this.resourceScopes);
		all.addAll(this.oidc);
		return all;
	}

	static Scopes of(Set<String> scopes) {
		Set<String> oidc = new LinkedHashSet<>();
		Set<String> resourceScopes = new LinkedHashSet<>();
		scopes.forEach((scope) -> (OIDC.contains(scope) ? oidc : resourceScopes).add(scope));
		return new Scopes(oidc, resourceScopes);
	}

	@Override
	public String toString() {
		return Arrays.toString(all().toArray());
	}

}
