package io.mailroom.api.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.mailroom.api.authorization.TenantCheck;
import io.mailroom.api.web.FieldMessage;
import io.mailroom.api.web.InvalidInput;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.outbound.SmtpDestinations;
import io.mailroom.core.services.Access;
import io.mailroom.core.services.BasicAuthentication;
import io.mailroom.core.google.ServiceAccountKeys;
import io.mailroom.core.services.CredentialKind;
import io.mailroom.core.services.GoogleOAuth2;
import io.mailroom.core.services.Transport;
import io.mailroom.core.tokens.ClientCertificates;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.SmtpService;

import org.springframework.stereotype.Component;

/**
 * Checks a service request field by field and says, for each wrong field, what to enter instead. All
 * problems are reported at once. A well-formed host and port are checked against the destination guard (an
 * internal address or a port that is no SMTP port is refused here, before anything is stored). When the form
 * is right so far, a Tenant ID is also looked up at Microsoft, because a tenant ID entered for a multi-tenant
 * app is the classic setup mistake.
 */
@Component
class ServiceValidator {

	static final String DEFAULT_HOST = "smtp.office365.com";

	static final String GOOGLE_HOST = "smtp.gmail.com";

	private static final Pattern GOOGLE_CLIENT_ID = Pattern.compile("[0-9]+-[A-Za-z0-9_]+\\.apps\\.googleusercontent\\.com");

	static final int DEFAULT_PORT = 587;

	private static final Pattern GUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	// RFC 5321 mailbox in practice: a dot-atom local part and a host name with at least one dot
	private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
			+ "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

	private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	private static final Pattern IPV4 = Pattern
		.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

	private static final Set<String> TENANT_KEYWORDS = Set.of("common", "organizations", "consumers");

	private static final long MAX_MESSAGE_BYTES = 157_286_400L;

	private final TenantCheck tenants;

	private final SmtpDestinations destinations;

	ServiceValidator(TenantCheck tenants, SmtpDestinations destinations) {
		this.tenants = tenants;
		this.destinations = destinations;
	}

	/**
	 * Validates a request to create a service ({@code existing} null) or to change {@code existing}.
	 * @throws InvalidInput listing every field that needs attention
	 */
	ValidService validate(ServiceRequest request, SmtpService existing) {
		if (request == null) {
			throw new InvalidInput("body", "must be an SMTP service as described in the API documentation");
		}
		List<FieldMessage> errors = new ArrayList<>();
		String name = text(request.name());
		if (name == null) {
			errors.add(new FieldMessage("name", "is required: a friendly name that says which mailbox this is, "
					+ "e.g. 'Support mailbox'"));
		}
		else if (name.length() > 100 || hasControl(name)) {
			errors.add(new FieldMessage("name", "must be at most 100 characters on one line"));
		}
		boolean google = request.authentication() != null && "GOOGLE".equalsIgnoreCase(text(request.authentication().provider()));
		String host = text(request.host()) == null ? (google ? GOOGLE_HOST : DEFAULT_HOST)
				: text(request.host()).toLowerCase(Locale.ROOT);
		int hostErrors = errors.size();
		if (host.contains("://") || host.contains(":") || host.contains("/")) {
			errors.add(new FieldMessage("host", "must be the host name alone, e.g. smtp.office365.com, without "
					+ "smtp:// and without a port (the port has its own field)"));
		}
		else if (!validHost(host)) {
			errors.add(new FieldMessage("host", "must be a host name such as smtp.office365.com or an IPv4 address"));
		}
		int port = request.port() == null ? DEFAULT_PORT : request.port();
		if (port < 1 || port > 65535) {
			errors.add(new FieldMessage("port",
					"must be between 1 and 65535; Microsoft 365 and Google Workspace use 587 (SMTP submission with "
							+ "STARTTLS)"));
		}
		else if (google && port == 465) {
			// delivery signs in only after STARTTLS; Gmail's implicit-TLS port would never get that far
			errors.add(new FieldMessage("port", "must be 587 for Google Workspace: Mailroom connects to smtp.gmail.com "
					+ "with STARTTLS on 587; Gmail's 465 (implicit TLS) is not supported"));
		}
		else if (errors.size() == hostErrors) {
			this.destinations.refusal(host, port)
				.ifPresent(refused -> errors.add(new FieldMessage(refused.field(), refused.fieldMessage())));
		}
		String from = email(errors, "fromAddress", request.fromAddress(), true,
				"the address mail is sent from, a mailbox of your Microsoft organization");
		String fromName = text(request.fromName());
		if (fromName != null && (fromName.length() > 100 || hasControl(fromName))) {
			errors.add(new FieldMessage("fromName", "must be at most 100 characters on one line"));
		}
		String replyTo = email(errors, "replyTo", request.replyTo(), false, null);
		ValidService.Credentials credentials = credentials(errors, request.authentication(), existing);
		Integer perMinute = null;
		Integer connections = null;
		Long maxBytes = null;
		Integer perDay = null;
		if (request.limits() != null) {
			perMinute = request.limits().messagesPerMinute();
			connections = request.limits().maxConnections();
			maxBytes = request.limits().maxMessageBytes();
			perDay = request.limits().messagesPerDay();
			if (perDay != null && (perDay < 1 || perDay > 100_000)) {
				errors.add(new FieldMessage("limits.messagesPerDay",
						"must be between 1 and 100000; Google Workspace allows 2000 a day per user, 500 for trials"));
			}
			if (perMinute != null && (perMinute < 1 || perMinute > 10_000)) {
				errors.add(new FieldMessage("limits.messagesPerMinute",
						"must be between 1 and 10000; Exchange Online allows about 30 per mailbox"));
			}
			if (connections != null && (connections < 1 || connections > 100)) {
				errors.add(new FieldMessage("limits.maxConnections",
						"must be between 1 and 100; Exchange Online allows 3 per mailbox"));
			}
			if (maxBytes != null && (maxBytes < 1 || maxBytes > MAX_MESSAGE_BYTES)) {
				errors.add(new FieldMessage("limits.maxMessageBytes",
						"must be between 1 and 157286400 (150 MB, Exchange Online's largest setting)"));
			}
		}
		if (errors.isEmpty() && credentials instanceof ValidService.OAuth2 oauth2 && oauth2.tenantId() != null
				&& tenantChanged(oauth2, existing)) {
			tenants.refusal(oauth2.tenantId()).ifPresent(failure -> errors.add(new FieldMessage(
					"authentication.tenantId", tenantRefused(failure.error()))));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInput(errors);
		}
		return new ValidService(name, host, port, from, fromName, replyTo, credentials, perMinute, connections,
				maxBytes, perDay);
	}

	private ValidService.Credentials credentials(List<FieldMessage> errors, ServiceRequest.AuthenticationRequest auth,
			SmtpService existing) {
		if (auth == null) {
			errors.add(new FieldMessage("authentication", "is required: OAUTH2 for Microsoft 365 or Google Workspace, "
					+ "or BASIC"));
			return null;
		}
		String type = text(auth.type()) == null ? null : text(auth.type()).toUpperCase(Locale.ROOT);
		if ("OAUTH2".equals(type) && "GOOGLE".equalsIgnoreCase(text(auth.provider()))) {
			return google(errors, auth, existing);
		}
		if ("OAUTH2".equals(type)) {
			return oauth2(errors, auth, existing);
		}
		if ("BASIC".equals(type)) {
			return basic(errors, auth, existing);
		}
		errors.add(new FieldMessage("authentication.type", "must be OAUTH2 (Microsoft 365 or Google Workspace) or "
				+ "BASIC (username and password)"));
		return null;
	}

	private ValidService.OAuth2 oauth2(List<FieldMessage> errors, ServiceRequest.AuthenticationRequest auth,
			SmtpService existing) {
		String provider = text(auth.provider());
		if (provider != null && !provider.equalsIgnoreCase("MICROSOFT")) {
			errors.add(new FieldMessage("authentication.provider", "must be MICROSOFT (Microsoft 365) or GOOGLE "
					+ "(Google Workspace)"));
		}
		if (text(auth.serviceAccountKey()) != null) {
			errors.add(new FieldMessage("authentication.serviceAccountKey", "is for provider GOOGLE only; leave it out "
					+ "for MICROSOFT"));
		}
		String loginEmail = email(errors, "authentication.loginEmail", auth.loginEmail(), true,
				"the mailbox that signs in to Microsoft and sends; it needs the Authenticated SMTP permission");
		String clientId = text(auth.clientId());
		if (clientId == null) {
			errors.add(new FieldMessage("authentication.clientId", "is required: the Application (client) ID from "
					+ "the app registration's Overview page"));
		}
		else if (!GUID.matcher(clientId).matches()) {
			errors.add(new FieldMessage("authentication.clientId", "must be the Application (client) ID from the app "
					+ "registration's Overview page, a GUID such as 2f1c7a52-9a53-4d52-8b0f-3e1f3c1d2a77"));
		}
		Access access = choice(errors, "authentication.access", auth.access(), Access.class, Access.DELEGATED);
		CredentialKind credential = choice(errors, "authentication.credential", auth.credential(), CredentialKind.class,
				CredentialKind.SECRET);
		Transport transport = choice(errors, "authentication.transport", auth.transport(), Transport.class,
				Transport.SMTP);
		MicrosoftOAuth2 stored = existing != null && existing.authentication() instanceof MicrosoftOAuth2 oauth2
				? oauth2 : null;
		String secret = null;
		ClientCertificates.Opened certificate = null;
		if (credential == CredentialKind.SECRET) {
			secret = secret(errors, auth, stored);
		}
		else if (credential == CredentialKind.CERTIFICATE) {
			certificate = certificate(errors, auth, stored);
		}
		String tenantId = text(auth.tenantId());
		if (tenantId != null && TENANT_KEYWORDS.contains(tenantId.toLowerCase(Locale.ROOT))) {
			errors.add(new FieldMessage("authentication.tenantId", "must be empty for a multi-tenant app (Mailroom "
					+ "signs in through 'organizations' then), or the Directory (tenant) ID of a single-tenant app"));
		}
		else if (tenantId != null && !GUID.matcher(tenantId).matches()) {
			errors.add(new FieldMessage("authentication.tenantId", "must be the Directory (tenant) ID from the app "
					+ "registration's Overview page, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47; leave it "
					+ "EMPTY for a multi-tenant app"));
		}
		if (access == Access.APPLICATION && tenantId == null) {
			errors.add(new FieldMessage("authentication.tenantId", "is required for APPLICATION access: the Directory "
					+ "(tenant) ID of the organization whose mailbox sends (client credentials need a tenant)"));
		}
		return new ValidService.OAuth2(loginEmail, clientId == null ? null : clientId.toLowerCase(Locale.ROOT), secret,
				tenantId == null ? null : tenantId.toLowerCase(Locale.ROOT), auth.clientSecretExpiresOn(), access,
				credential, transport, certificate);
	}

	/**
	 * Google Workspace: DELEGATED needs the OAuth client's ID and secret (a Web application client of the Google
	 * Cloud project), APPLICATION a service account's JSON key; Microsoft's fields have no meaning here.
	 */
	private ValidService.Google google(List<FieldMessage> errors, ServiceRequest.AuthenticationRequest auth,
			SmtpService existing) {
		String loginEmail = email(errors, "authentication.loginEmail", auth.loginEmail(), true,
				"the Google Workspace mailbox that sends (for DELEGATED access, the account that signs in with Google)");
		Access access = choice(errors, "authentication.access", auth.access(), Access.class, Access.DELEGATED);
		for (String[] unused : new String[][] { { "tenantId", auth.tenantId() }, { "certificatePem", auth.certificatePem() },
				{ "certificatePfx", auth.certificatePfx() } }) {
			if (text(unused[1]) != null) {
				errors.add(new FieldMessage("authentication." + unused[0], "is for provider MICROSOFT only; leave it out "
						+ "for GOOGLE"));
			}
		}
		String credential = text(auth.credential());
		if (credential != null && !credential.equalsIgnoreCase("SECRET")) {
			errors.add(new FieldMessage("authentication.credential", "must be SECRET or left out for GOOGLE: a user "
					+ "grant proves itself with the OAuth client's secret, a service account with its key"));
		}
		String transport = text(auth.transport());
		if (transport != null && !transport.equalsIgnoreCase("SMTP")) {
			errors.add(new FieldMessage("authentication.transport", "must be SMTP or left out for GOOGLE: Mailroom "
					+ "sends through smtp.gmail.com"));
		}
		GoogleOAuth2 stored = existing != null && existing.authentication() instanceof GoogleOAuth2 google ? google : null;
		if (access == Access.APPLICATION) {
			if (text(auth.clientId()) != null || text(auth.clientSecret()) != null) {
				errors.add(new FieldMessage(text(auth.clientId()) != null ? "authentication.clientId"
						: "authentication.clientSecret", "is not used with a service account (APPLICATION): its key file "
								+ "says who it is; leave it out"));
			}
			String key = text(auth.serviceAccountKey());
			ServiceAccountKeys.Described described = null;
			if (key == null) {
				if (stored == null || stored.serviceAccount() == null) {
					errors.add(new FieldMessage("authentication.serviceAccountKey", "is required for APPLICATION access: "
							+ "the service account's JSON key (Google Cloud console > IAM & Admin > Service accounts > "
							+ "the account > Keys > Add key > JSON)"));
				}
			}
			else {
				try {
					described = ServiceAccountKeys.read(key);
				}
				catch (ServiceAccountKeys.Unusable ex) {
					errors.add(new FieldMessage("authentication.serviceAccountKey", ex.getMessage()));
				}
			}
			return new ValidService.Google(loginEmail, null, null, access, described == null ? null : key, described);
		}
		if (text(auth.serviceAccountKey()) != null) {
			errors.add(new FieldMessage("authentication.serviceAccountKey", "is for APPLICATION access (a service "
					+ "account); for DELEGATED access give the OAuth client's clientId and clientSecret"));
		}
		String clientId = text(auth.clientId());
		if (clientId == null) {
			errors.add(new FieldMessage("authentication.clientId", "is required: the Client ID of the OAuth client "
					+ "(Google Cloud console > APIs & Services > Credentials > OAuth 2.0 Client IDs, type Web application)"));
		}
		else if (!GOOGLE_CLIENT_ID.matcher(clientId).matches()) {
			errors.add(new FieldMessage("authentication.clientId", "must be a Google OAuth client ID such as "
					+ "123456789012-abc123def456.apps.googleusercontent.com (APIs & Services > Credentials)"));
		}
		String secret = auth.clientSecret() == null || auth.clientSecret().isBlank() ? null : auth.clientSecret().strip();
		if (secret == null && (stored == null || stored.clientSecret() == null)) {
			errors.add(new FieldMessage("authentication.clientSecret", "is required: the Client secret of the OAuth "
					+ "client (shown when the client is created, or under its Client secrets)"));
		}
		else if (secret != null && (secret.length() > 1000 || hasControl(secret))) {
			errors.add(new FieldMessage("authentication.clientSecret", "must be the client secret on one line"));
		}
		return new ValidService.Google(loginEmail, clientId, secret, access, null, null);
	}

	private static String secret(List<FieldMessage> errors, ServiceRequest.AuthenticationRequest auth,
			MicrosoftOAuth2 stored) {
		String secret = auth.clientSecret() == null || auth.clientSecret().isBlank() ? null
				: auth.clientSecret().strip();
		if (secret == null && (stored == null || stored.clientSecret() == null)) {
			errors.add(new FieldMessage("authentication.clientSecret", "is required: the Value of a client secret "
					+ "from the app registration's Certificates & secrets"));
		}
		else if (secret != null && GUID.matcher(secret).matches()) {
			errors.add(new FieldMessage("authentication.clientSecret", "looks like the secret's ID, not its Value: "
					+ "copy the Value column under Certificates & secrets (shown only right after the secret is "
					+ "created; create a new secret if it is hidden), otherwise Microsoft answers AADSTS7000215"));
		}
		else if (secret != null && (secret.length() > 1000 || hasControl(secret))) {
			errors.add(new FieldMessage("authentication.clientSecret", "must be the secret's Value on one line"));
		}
		return secret;
	}

	/** The uploaded certificate, read; null keeps the stored one (an error if there is none). */
	private static ClientCertificates.Opened certificate(List<FieldMessage> errors,
			ServiceRequest.AuthenticationRequest auth, MicrosoftOAuth2 stored) {
		String pem = text(auth.certificatePem());
		String pfx = text(auth.certificatePfx());
		if (pem == null && pfx == null) {
			if (stored == null || stored.certificate() == null) {
				errors.add(new FieldMessage("authentication.certificatePem", "is required for a CERTIFICATE credential: "
						+ "the certificate uploaded to the app registration (Certificates & secrets > Certificates) with "
						+ "its private key, in PEM; or give certificatePfx and certificatePassword"));
			}
			return null;
		}
		try {
			if (pem != null) {
				return unexpired(ClientCertificates.fromPem(pem));
			}
			byte[] bytes;
			try {
				bytes = java.util.Base64.getMimeDecoder().decode(pfx);
			}
			catch (IllegalArgumentException ex) {
				throw new ClientCertificates.Unusable("certificatePfx must be the .pfx file's bytes in base64.");
			}
			String password = auth.certificatePassword() == null ? "" : auth.certificatePassword();
			return unexpired(ClientCertificates.fromPfx(bytes, password.toCharArray()));
		}
		catch (ClientCertificates.Unusable ex) {
			errors.add(new FieldMessage(pem != null ? "authentication.certificatePem" : "authentication.certificatePfx",
					ex.getMessage()));
			return null;
		}
	}

	private static ClientCertificates.Opened unexpired(ClientCertificates.Opened opened) throws ClientCertificates.Unusable {
		if (opened.certificate().getNotAfter().toInstant().isBefore(java.time.Instant.now())) {
			throw new ClientCertificates.Unusable("The certificate expired on " + opened.certificate().getNotAfter()
					.toInstant() + ": Microsoft refuses it (AADSTS700027); make a new one and upload it to the app too.");
		}
		return opened;
	}

	private static <E extends Enum<E>> E choice(List<FieldMessage> errors, String field, String value, Class<E> type,
			E fallback) {
		String text = text(value);
		if (text == null) {
			return fallback;
		}
		try {
			return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			errors.add(new FieldMessage(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
			return fallback;
		}
	}

	private ValidService.Basic basic(List<FieldMessage> errors, ServiceRequest.AuthenticationRequest auth,
			SmtpService existing) {
		String username = text(auth.username());
		if (username == null) {
			errors.add(new FieldMessage("authentication.username", "is required: the SMTP user name"));
		}
		else if (username.length() > 254 || hasControl(username)) {
			errors.add(new FieldMessage("authentication.username", "must be at most 254 characters on one line"));
		}
		String password = auth.password() == null || auth.password().isEmpty() ? null : auth.password();
		boolean hasStoredPassword = existing != null && existing.authentication() instanceof BasicAuthentication stored
				&& stored.password() != null;
		if (password == null && !hasStoredPassword) {
			errors.add(new FieldMessage("authentication.password", "is required: the SMTP password"));
		}
		else if (password != null && (password.length() > 1000 || hasControl(password))) {
			errors.add(new FieldMessage("authentication.password", "must be at most 1000 characters on one line"));
		}
		return new ValidService.Basic(username, password);
	}

	private static boolean tenantChanged(ValidService.OAuth2 oauth2, SmtpService existing) {
		return existing == null || !(existing.authentication() instanceof MicrosoftOAuth2 stored)
				|| !oauth2.tenantId().equalsIgnoreCase(String.valueOf(stored.tenantId()));
	}

	private static String tenantRefused(ErrorDetails error) {
		return "Microsoft refuses this tenant (" + error.code() + ": " + error.message() + ") " + error.hint()
				+ (error.helpUrl() == null ? "" : " See " + error.helpUrl());
	}

	private static String email(List<FieldMessage> errors, String field, String value, boolean required,
			String what) {
		String address = text(value);
		if (address == null) {
			if (required) {
				errors.add(new FieldMessage(field, "is required: " + what));
			}
			return null;
		}
		if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
			errors.add(new FieldMessage(field, "must be an email address such as name@contoso.com, without a display "
					+ "name, spaces or line breaks"));
		}
		return address;
	}

	private static boolean validHost(String host) {
		if (host.length() > 253 || IPV4.matcher(host).matches()) {
			return host.length() <= 253;
		}
		String[] labels = host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.", -1)
				: host.split("\\.", -1);
		for (String label : labels) {
			if (!HOST_LABEL.matcher(label).matches()) {
				return false;
			}
		}
		// a host name whose last label is all digits is a mistyped IPv4 address
		return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
	}

	private static String text(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	private static boolean hasControl(String value) {
		return value.chars().anyMatch(Character::isISOControl);
	}

}
