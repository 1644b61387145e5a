package io.mailroom.api.services;

import java.time.LocalDate;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * An SMTP service as an admin enters it, to create one or to replace one's settings. On a change, a secret
 * left out keeps the stored one.
 */
@Schema(name = "SmtpServiceRequest")
record ServiceRequest(
		@Schema(description = "Shown in the product's SMTP choices", example = "Support mailbox",
				requiredMode = RequiredMode.REQUIRED, maxLength = 100) String name,
		@Schema(description = "SMTP host name: smtp.office365.com for Microsoft 365, smtp.gmail.com for Google Workspace "
				+ "(the default of the provider when left out)", defaultValue = "smtp.office365.com") String host,
		@Schema(description = "SMTP submission port (STARTTLS)", defaultValue = "587", minimum = "1",
				maximum = "65535") Integer port,
		@Schema(description = "The From address of every mail; a mailbox of your Microsoft 365 or Google Workspace "
				+ "organization",
				example = "support@contoso.com", requiredMode = RequiredMode.REQUIRED) String fromAddress,
		@Schema(description = "The From name", example = "Contoso Support", maxLength = 100) String fromName,
		@Schema(description = "A Reply-To address other than the From address", example = "help@contoso.com") String replyTo,
		@Schema(requiredMode = RequiredMode.REQUIRED) AuthenticationRequest authentication,
		@Schema(description = "Sending limits; absent for the host's defaults") LimitsRequest limits) {

	/**
	 * How the service logs in: {@code OAUTH2} with provider {@code MICROSOFT} (loginEmail, clientId,
	 * clientSecret, tenantId) or {@code GOOGLE} (loginEmail and an OAuth client's clientId and clientSecret, or a
	 * service account's serviceAccountKey), or {@code BASIC} (username, password).
	 */
	@Schema(name = "SmtpAuthenticationRequest")
	record AuthenticationRequest(
			@Schema(allowableValues = { "OAUTH2", "BASIC" }, requiredMode = RequiredMode.REQUIRED) String type,
			@Schema(description = "OAUTH2: the identity provider: MICROSOFT (Microsoft 365, smtp.office365.com) or "
					+ "GOOGLE (Google Workspace, smtp.gmail.com)", allowableValues = { "MICROSOFT", "GOOGLE" },
					defaultValue = "MICROSOFT") String provider,
			@Schema(description = "OAUTH2: the mailbox that authorizes and sends; it needs Authenticated SMTP",
					example = "support@contoso.com") String loginEmail,
			@Schema(description = "OAUTH2: MICROSOFT: the Application (client) ID from the app registration's Overview "
					+ "page; GOOGLE + DELEGATED: the Client ID of the OAuth client (Google Cloud console > APIs & Services > "
					+ "Credentials)", example = "2f1c7a52-9a53-4d52-8b0f-3e1f3c1d2a77") String clientId,
			@Schema(description = "OAUTH2: the Value of a client secret from Certificates & secrets (not its ID); "
					+ "write-only, left out on a change to keep the stored one",
					accessMode = Schema.AccessMode.WRITE_ONLY) String clientSecret,
			@Schema(description = "OAUTH2: the Directory (tenant) ID of a single-tenant app; EMPTY for a "
					+ "multi-tenant app", example = "72f988bf-86f1-41af-91ab-2d7cd011db47") String tenantId,
			@Schema(description = "OAUTH2: when the client secret expires, so Mailroom can warn beforehand",
					example = "2027-06-30") LocalDate clientSecretExpiresOn,
			@Schema(description = "OAUTH2: whose authority sends: DELEGATED (a user signs in once and authorizes) or "
					+ "APPLICATION (the app itself, client credentials: an admin gives it access to the mailbox once; "
					+ "needs the Tenant ID)", allowableValues = { "DELEGATED", "APPLICATION" },
					defaultValue = "DELEGATED") String access,
			@Schema(description = "OAUTH2: how the app proves itself: SECRET (clientSecret) or CERTIFICATE "
					+ "(certificatePem, or certificatePfx with certificatePassword)",
					allowableValues = { "SECRET", "CERTIFICATE" }, defaultValue = "SECRET") String credential,
			@Schema(description = "OAUTH2: how mail is handed over: SMTP (smtp.office365.com), GRAPH (Microsoft Graph "
					+ "sendMail, where SMTP AUTH is disabled), or SMTP_WITH_GRAPH_FALLBACK",
					allowableValues = { "SMTP", "GRAPH", "SMTP_WITH_GRAPH_FALLBACK" }, defaultValue = "SMTP") String transport,
			@Schema(description = "OAUTH2 + CERTIFICATE: the certificate and its unencrypted PKCS#8 private key, PEM; "
					+ "write-only, left out on a change to keep the stored one",
					accessMode = Schema.AccessMode.WRITE_ONLY) String certificatePem,
			@Schema(description = "OAUTH2 + CERTIFICATE: a PKCS#12 (.pfx) file with the private key, base64; "
					+ "write-only", accessMode = Schema.AccessMode.WRITE_ONLY) String certificatePfx,
			@Schema(description = "OAUTH2 + CERTIFICATE: the password of certificatePfx; write-only",
					accessMode = Schema.AccessMode.WRITE_ONLY) String certificatePassword,
			@Schema(description = "OAUTH2 + GOOGLE + APPLICATION: the service account's JSON key file as downloaded "
					+ "(Google Cloud console > IAM & Admin > Service accounts > Keys); write-only, left out on a change "
					+ "to keep the stored one", accessMode = Schema.AccessMode.WRITE_ONLY) String serviceAccountKey,
			@Schema(description = "BASIC: the SMTP user name") String username,
			@Schema(description = "BASIC: the SMTP password; write-only, left out on a change to keep the stored one",
					accessMode = Schema.AccessMode.WRITE_ONLY) String password) {

		@Override
		public String toString() {
			return "AuthenticationRequest[type=" + type + ", provider=" + provider + ", loginEmail=" + loginEmail
					+ ", clientId=" + clientId + ", tenantId=" + tenantId + ", access=" + access + ", credential="
					+ credential + ", transport=" + transport + ", username=" + username + "]";
		}

	}

	/** Per-service sending limits; an absent value means the host's default. */
	@Schema(name = "SmtpLimits")
	record LimitsRequest(@Schema(minimum = "1", maximum = "10000", example = "30") Integer messagesPerMinute,
			@Schema(minimum = "1", maximum = "100", example = "3") Integer maxConnections,
			@Schema(minimum = "1", maximum = "157286400", example = "36700160") Long maxMessageBytes,
			@Schema(description = "Messages a day (rolling 24 hours) for the mailbox; smtp.gmail.com defaults to "
					+ "Google Workspace's 2000: set 500 for a trial Workspace", minimum = "1", maximum = "100000",
					example = "2000") Integer messagesPerDay) {
	}

}
