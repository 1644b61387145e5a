package io.mailroom.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An error of the identity platform: the OAuth {@code error}, the AADSTS code with Microsoft's text, and the
 * HTTP status. Texts are Microsoft's where known (from its error reference, troubleshooting articles and
 * replies quoted in public issues); the few invented ones say so.
 *
 * @param error the OAuth error code, e.g. {@code invalid_grant}
 * @param code the AADSTS number
 * @param text the message after "AADSTSnnnn: "
 * @param suberror the {@code suberror} member, or null
 * @param status the HTTP status of a token endpoint response
 */
record IdentityError(String error, int code, String text, String suberror, int status) {

	static final String EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter ISSUED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	static IdentityError invalidClientSecret(String clientId) {
		return new IdentityError("invalid_client", 7000215,
				"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
						+ clientId + "'.",
				null, 401);
	}

	static IdentityError clientSecretExpired(String clientId) {
		return new IdentityError("invalid_client", 7000222, "The provided client secret keys for app '" + clientId
				+ "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
				null, 401);
	}

	static IdentityError clientCredentialMissing() {
		return new IdentityError("invalid_client", 7000218,
				"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", null,
				401);
	}

	static IdentityError clientAssertionKeyNotFound(String thumbprint, String clientId) {
		return new IdentityError("invalid_client", 700027, "Client assertion failed signature validation. (Reason - The key was not found., Thumbprint of key used by client: '"
				+ thumbprint + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '"
				+ clientId + "'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments if you are not using the global cloud.)",
				null, 401);
	}

	static IdentityError clientAssertionInvalidSignature() {
		return new IdentityError("invalid_client", 700027, "Client assertion contains an invalid signature.", null, 401);
	}

	// UNCONFIRMED: the text Entra answers an assertion signed with an expired certificate with.
	static IdentityError clientAssertionKeyExpired(String thumbprint) {
		return new IdentityError("invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '"
				+ thumbprint + "']", null, 401);
	}

	static IdentityError clientAssertionOutsideValidity(Instant now) {
		return new IdentityError("invalid_client", 700024, "Client assertion is not within its valid time range. Current time: "
				+ ISSUED.format(now) + ".", null, 401);
	}

	// INVENTED text: Entra refuses an assertion whose aud, iss or sub is wrong; its exact words vary.
	static IdentityError clientAssertionClaimsInvalid(String claim) {
		return new IdentityError("invalid_client", 700027, "Client assertion failed validation: the '" + claim
				+ "' claim is not valid for this request.", null, 401);
	}

	static IdentityError clientAssertionTypeInvalid() {
		return new IdentityError("invalid_request", 700023, "The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.", null, 400);
	}

	static IdentityError adminConsentRequired(String clientId, String appName) {
		return new IdentityError("invalid_grant", 90094, "Admin consent is required for the permissions requested by the application '"
				+ appName + "' (" + clientId + ").", "consent_required", 400);
	}

	static IdentityError missingParameter(String parameter) {
		return new IdentityError("invalid_request", 900144,
				"The request body must contain the following parameter: '" + parameter + "'.", null, 400);
	}

	static IdentityError tenantNotFound(String tenant) {
		return new IdentityError("invalid_request", 90002, "Tenant '" + tenant
				+ "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.",
				null, 400);
	}

	static IdentityError appNotFound(String clientId, String directory) {
		return new IdentityError("unauthorized_client", 700016, "Application with identifier '" + clientId
				+ "' was not found in the directory '" + directory
				+ "'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
				null, 400);
	}

	static IdentityError singleTenantAppOnCommonEndpoint(String clientId, String displayName) {
		return new IdentityError("invalid_request", 50194, "Application '" + clientId + "'(" + displayName
				+ ") is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
				null, 400);
	}

	static IdentityError redirectUriMismatch(String redirectUri, String clientId) {
		return new IdentityError("invalid_request", 50011, "The redirect URI '" + redirectUri
				+ "' specified in the request does not match the redirect URIs configured for the application '"
				+ clientId
				+ "'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
				null, 400);
	}

	static IdentityError userNotInTenant(User user, String tenant, String clientId, String appName) {
		return new IdentityError("invalid_grant", 50020,
				"User account '" + user.userPrincipalName() + "' from identity provider 'https://sts.windows.net/"
						+ user.tenantId() + "/' does not exist in tenant '" + tenant
						+ "' and cannot access the application '" + clientId + "'(" + appName
						+ ") in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.",
				null, 400);
	}

	static IdentityError unknownUser(String tenant) {
		return new IdentityError("invalid_request", 50034, "The user account {EUII Hidden} does not exist in the '"
				+ tenant + "' directory. To sign into this application, the account must be added to the directory.",
				null, 400);
	}

	static IdentityError userDeclinedConsent() {
		return new IdentityError("access_denied", 65004, "User declined to consent to access the app.", null, 400);
	}

	static IdentityError consentRequired(String clientId, String appName) {
		return new IdentityError("invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '"
				+ clientId + "' named '" + appName + "'. Send an interactive authorization request for this user and resource.",
				"consent_required", 400);
	}

	static IdentityError loginRequired() {
		return new IdentityError("login_required", 50058,
				"A silent sign-in request was sent but no user is signed in.", null, 400);
	}

	static IdentityError grantRevoked(Instant authenticatedAt, Instant validFrom) {
		return new IdentityError("invalid_grant", 50173,
				"The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '"
						+ ISSUED.format(authenticatedAt) + "' and the TokensValidFrom date (before which tokens are not valid) for this user is '"
						+ ISSUED.format(validFrom) + "'.",
				null, 400);
	}

	static IdentityError expired() {
		return new IdentityError("invalid_grant", 70008,
				"The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
				null, 400);
	}

	static IdentityError refreshTokenInactive(Instant issuedAt) {
		return new IdentityError("invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was issued on "
				+ ISSUED.format(issuedAt) + " and was inactive for 90.00:00:00.", "bad_token", 400);
	}

	static IdentityError codeAlreadyRedeemed() {
		return new IdentityError("invalid_grant", 54005,
				"OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
				null, 400);
	}

	static IdentityError codeVerifierMismatch() {
		return new IdentityError("invalid_grant", 501481,
				"The Code_Verifier does not match the code_challenge supplied in the authorization request.", null, 400);
	}

	// UNCONFIRMED text: seen quoted in issues, not in Microsoft's error reference.
	static IdentityError replyAddressMismatch(String sent, String authorized) {
		return new IdentityError("invalid_grant", 500112, "The reply address '" + sent
				+ "' does not match the reply address '" + authorized + "' provided when requesting Authorization code.",
				null, 400);
	}

	static IdentityError malformedGrant() {
		return new IdentityError("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.", null, 400);
	}

	static IdentityError mfaRequired() {
		return new IdentityError("invalid_grant", 50076,
				"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '"
						+ EXCHANGE_ONLINE_APP_ID + "'.",
				"basic_action", 400);
	}

	static IdentityError blockedByConditionalAccess() {
		return new IdentityError("invalid_grant", 53003,
				"Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
				"message_only", 400);
	}

	static IdentityError scopeNotValid(String scope) {
		return new IdentityError("invalid_scope", 70011,
				"The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope "
						+ scope + " is not valid.",
				null, 400);
	}

	static IdentityError moreThanOneResource(String scope) {
		return new IdentityError("invalid_scope", 28000,
				"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope "
						+ scope + " is not valid.",
				null, 400);
	}

	static IdentityError clientCredentialsNeedDefaultScope(String scope) {
		return new IdentityError("invalid_scope", 1002012, "The provided value for scope " + scope
				+ " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
				null, 400);
	}

	static IdentityError resourceNotFound(String resource, String tenant) {
		return new IdentityError("invalid_resource", 500011, "The resource principal named " + resource
				+ " was not found in the tenant named " + tenant
				+ ". This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.",
				null, 400);
	}

	// UNCONFIRMED: which code Entra answers client credentials on /common or /organizations with.
	static IdentityError noTenantForClientCredentials() {
		return new IdentityError("invalid_request", 50059,
				"No tenant-identifying information found in either the request or implied by any provided credentials.",
				null, 400);
	}

	static IdentityError unsupportedGrantType(String grantType) {
		return new IdentityError("unsupported_grant_type", 70003,
				"The app requested an unsupported grant type '" + grantType + "'.", null, 400);
	}

	static IdentityError unsupportedResponseType(String responseType) {
		return new IdentityError("unsupported_response_type", 700054,
				"response_type '" + responseType + "' is not enabled for the application.", null, 400);
	}

	// INVENTED text: the sandbox's outage is an ordinary 503; Entra's own outage replies are not documented.
	static IdentityError temporarilyUnavailable() {
		return new IdentityError("temporarily_unavailable", 90033, "A transient error has occurred. Please try again.",
				null, 503);
	}

	// INVENTED: what the sign-in page says when its form is stale (the sandbox keeps sign-ins an hour).
	static IdentityError signInExpired() {
		return new IdentityError("invalid_request", 90014, "The required field 'ctx' is missing or expired. Start the sign-in again.",
				null, 400);
	}

	String errorUri() {
		return "https://login.microsoftonline.com/error?code=" + this.code;
	}

	/** The {@code error_description}: "AADSTSnnnn: text\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …". */
	String description(Trace trace) {
		return "AADSTS" + this.code + ": " + this.text + "\r\nTrace ID: " + trace.traceId() + "\r\nCorrelation ID: "
				+ trace.correlationId() + "\r\nTimestamp: " + trace.timestamp();
	}

	/** The token endpoint's JSON body, members in Microsoft's order. */
	Map<String, Object> body(Trace trace) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", this.error);
		body.put("error_description", description(trace));
		body.put("error_codes", List.of(this.code));
		body.put("timestamp", trace.timestamp());
		body.put("trace_id", trace.traceId());
		body.put("correlation_id", trace.correlationId());
		body.put("error_uri", errorUri());
		if (this.suberror != null) {
			body.put("suberror", this.suberror);
		}
		return body;
	}

	/** The parameters of an error redirect to the app's redirect URI. */
	Map<String, String> redirectParameters(Trace trace) {
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("error", this.error);
		parameters.put("error_description", description(trace));
		parameters.put("error_uri", errorUri());
		return parameters;
	}

	/** Identifies one request in error texts; the correlation ID is the client's {@code client-request-id}. */
	record Trace(String traceId, String correlationId, String timestamp) {

		static Trace of(String clientRequestId, Instant now) {
			String correlation = (clientRequestId == null || clientRequestId.isBlank()) ? UUID.randomUUID().toString()
					: clientRequestId;
			return new Trace(UUID.randomUUID().toString(), correlation, TIMESTAMP.format(now));
		}

	}

}
