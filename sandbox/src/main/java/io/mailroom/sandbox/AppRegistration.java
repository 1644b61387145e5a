package io.mailroom.sandbox;

import java.util.List;

/**
 * An app registration as it was when handed out (later changes live in the {@link Directory}).
 *
 * @param clientId the application (client) ID, a GUID
 * @param displayName the name shown on the consent page
 * @param homeTenantId the tenant the app is registered in
 * @param multiTenant whether accounts of other tenants may use it ("Accounts in any organizational
 * directory"); a single-tenant app only accepts accounts of its home tenant
 * @param redirectUris the registered redirect URIs, matched exactly
 * @param clientSecret the value of the app's first client secret
 * @param clientSecretId the ID of that secret (not a secret: pasting it instead of the value is AADSTS7000215)
 * @param objectId the app registration's object ID (not the Enterprise application's, which Exchange's
 * {@code New-ServicePrincipal} needs: see {@link Directory#enterpriseApplicationObjectId})
 */
public record AppRegistration(String clientId, String displayName, String homeTenantId, boolean multiTenant,
		List<String> redirectUris, String clientSecret, String clientSecretId, String objectId) {

	public AppRegistration {
		redirectUris = List.copyOf(redirectUris);
	}

	@Override
	public String toString() {
		return "AppRegistration[clientId=" + this.clientId + ", displayName=" + this.displayName + ", homeTenantId="
				+ this.homeTenantId + ", multiTenant=" + this.multiTenant + ", redirectUris=" + this.redirectUris
				+ ", clientSecretId=" + this.clientSecretId + "]";
	}

}
