package io.mailroom.sandbox;

/**
 * A Microsoft Entra tenant (an organization's directory).
 *
 * @param id the tenant ID, a GUID; the identity platform accepts it or the domain as tenant segment
 * @param domain the tenant's verified domain, e.g. {@code contoso.com}
 * @param displayName the organization's name shown on the consent page
 */
public record Tenant(String id, String domain, String displayName) {
}
