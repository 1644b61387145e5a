package io.mailroom.sandbox;

/**
 * A work account with an Exchange Online mailbox whose primary SMTP address is its user principal name.
 *
 * @param id the object ID ({@code oid}), a GUID
 * @param userPrincipalName the sign-in name and mailbox address, e.g. {@code alice@contoso.com}
 * @param displayName the name shown on the consent page and in id tokens
 * @param tenantId the tenant the account belongs to
 */
public record User(String id, String userPrincipalName, String displayName, String tenantId) {
}
