package io.mailroom.sandbox;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The sandbox's Entra ID and Exchange Online directory: tenants, app registrations, and users with their
 * mailboxes and mailbox permissions. Thread-safe; tests change it while the sandbox runs.
 */
public final class Directory {

	private static final SecureRandom random = new SecureRandom();

	private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.";

	private final Map<String, Tenant> tenantsById = new ConcurrentHashMap<>();

	private final Map<String, Tenant> tenantsByDomain = new ConcurrentHashMap<>();

	private final Map<String, App> apps = new ConcurrentHashMap<>();

	private final Map<String, Account> mailboxesByAddress = new ConcurrentHashMap<>();

	private final Map<String, Account> mailboxesById = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Duration clientSecretLifetime;

	Directory(Clock clock, Duration clientSecretLifetime) {
		this.clock = clock;
		this.clientSecretLifetime = clientSecretLifetime;
	}

	/** Creates a tenant with a random tenant ID. */
	public Tenant createTenant(String domain) {
		return createTenant(UUID.randomUUID().toString(), domain);
	}

	/** Creates a tenant with a known tenant ID (for data the local run's configuration refers to). */
	public Tenant createTenant(String tenantId, String domain) {
		String id = UUID.fromString(tenantId).toString();
		String key = normalize(domain);
		Tenant tenant = new Tenant(id, key, organizationName(key));
		if (this.tenantsByDomain.putIfAbsent(key, tenant) != null) {
			throw new IllegalArgumentException("A tenant already has the domain " + domain);
		}
		if (this.tenantsById.putIfAbsent(id, tenant) != null) {
			this.tenantsByDomain.remove(key);
			throw new IllegalArgumentException("A tenant already has the ID " + id);
		}
		return tenant;
	}

	/**
	 * Registers an app in {@code home} with a random client ID and one client secret that expires after the
	 * configured lifetime.
	 */
	public AppRegistration registerApp(Tenant home, boolean multiTenant, String... redirectUris) {
		return registerApp(home, UUID.randomUUID().toString(), "Mailroom", multiTenant, newSecretValue(),
				List.of(redirectUris));
	}

	/** Registers an app with a known client ID and secret value (for the local run's data). */
	public AppRegistration registerApp(Tenant home, String clientId, String displayName, boolean multiTenant,
			String secretValue, List<String> redirectUris) {
		requireTenant(home.id());
		String id = UUID.fromString(clientId).toString();
		App app = new App(id, displayName, home.id(), multiTenant);
		app.redirectUris.addAll(redirectUris);
		app.secrets.add(new ClientSecret(UUID.randomUUID().toString(), secretValue,
				this.clock.instant().plus(this.clientSecretLifetime)));
		app.servicePrincipals.add(home.id());
		if (this.apps.putIfAbsent(id, app) != null) {
			throw new IllegalArgumentException("An app already has the client ID " + id);
		}
		return app.snapshot();
	}

	/** Adds a client secret; the app keeps its other secrets, as in the Entra portal. */
	public ClientSecret addClientSecret(AppRegistration app, Instant expiresAt) {
		ClientSecret secret = new ClientSecret(UUID.randomUUID().toString(), newSecretValue(), expiresAt);
		requireApp(app.clientId()).secrets.add(secret);
		return secret;
	}

	/** Adds a redirect URI (a test's callback often only has its port once its server runs). */
	public AppRegistration addRedirectUri(AppRegistration app, String redirectUri) {
		App registered = requireApp(app.clientId());
		registered.redirectUris.add(redirectUri);
		return registered.snapshot();
	}

	/** Creates a work account with a mailbox; SMTP AUTH is allowed and it may send only as itself. */
	public User createUser(Tenant tenant, String userPrincipalName) {
		requireTenant(tenant.id());
		String address = normalize(userPrincipalName);
		User user = new User(UUID.randomUUID().toString(), address, personName(address), tenant.id());
		Account mailbox = new Account(user);
		if (this.mailboxesByAddress.putIfAbsent(address, mailbox) != null) {
			throw new IllegalArgumentException("A user already has the name " + userPrincipalName);
		}
		this.mailboxesById.put(user.id(), mailbox);
		return user;
	}

	/** Gives the mailbox a password for basic SMTP AUTH (LOGIN, PLAIN); without one, basic AUTH fails. */
	public void setBasicPassword(String userPrincipalName, String password) {
		requireMailbox(userPrincipalName).basicPassword = password;
	}

	/** Lets the mailbox send with another From address (Exchange's SendAs permission). */
	public void grantSendAs(String userPrincipalName, String fromAddress) {
		requireMailbox(userPrincipalName).sendAs.add(normalize(fromAddress));
	}

	/**
	 * Gives {@code delegate} FullAccess to {@code mailbox}: the delegate's token may then authenticate as the
	 * mailbox ({@code user=mailbox} in XOAUTH2), as with a shared mailbox.
	 */
	public void grantFullAccess(String mailbox, String delegate) {
		requireMailbox(delegate);
		requireMailbox(mailbox).fullAccess.add(normalize(delegate));
	}

	/**
	 * Model A of app-only SMTP, all of it: admin consent for {@code SMTP.SendAsApp} in the mailbox's tenant,
	 * {@code New-ServicePrincipal} with the Enterprise application's object ID, and
	 * {@code Add-MailboxPermission -AccessRights FullAccess}. Client-credentials tokens of the app may then send
	 * as the mailbox over SMTP.
	 */
	public void grantAppMailboxAccess(AppRegistration app, String mailbox) {
		Account target = requireMailbox(mailbox);
		Tenant tenant = requireTenantById(target.user.tenantId());
		grantApplicationPermission(app, tenant, ApplicationPermission.SMTP_SEND_AS_APP);
		newServicePrincipal(app, tenant, enterpriseApplicationObjectId(app, tenant));
		addMailboxPermission(mailbox, app);
	}

	/** Admin consent of a multi-tenant app in another tenant: its service principal exists there. */
	public void consentAsAdmin(AppRegistration app, Tenant tenant) {
		requireTenant(tenant.id());
		requireApp(app.clientId()).servicePrincipals.add(tenant.id());
	}

	/**
	 * API permissions &gt; Add a permission &gt; Application permissions, then "Grant admin consent" in
	 * {@code tenant}: client-credentials tokens for the permission's resource carry it in {@code roles}.
	 */
	public void grantApplicationPermission(AppRegistration app, Tenant tenant, ApplicationPermission permission) {
		requireTenant(tenant.id());
		App registered = requireApp(app.clientId());
		registered.requiredPermissions.add(permission);
		registered.servicePrincipals.add(tenant.id());
		registered.consentedPermissions.computeIfAbsent(tenant.id(), (id) -> ConcurrentHashMap.newKeySet()).add(permission);
	}

	/** Lists a permission on the app's API permissions page without consent (an admin-consent URL grants it). */
	public void requestApplicationPermission(AppRegistration app, ApplicationPermission permission) {
		requireApp(app.clientId()).requiredPermissions.add(permission);
	}

	/** Removes an application permission's consent in {@code tenant} (an admin revoked it). */
	public void revokeApplicationPermission(AppRegistration app, Tenant tenant, ApplicationPermission permission) {
		Set<ApplicationPermission> consented = requireApp(app.clientId()).consentedPermissions.get(tenant.id());
		if (consented != null) {
			consented.remove(permission);
		}
	}

	/**
	 * The object ID of the app's Enterprise application (service principal) in {@code tenant}: the one
	 * {@code New-ServicePrincipal -ObjectId} needs. The app registration's own object ID
	 * ({@link AppRegistration#objectId()}) is the usual mistake.
	 */
	public String enterpriseApplicationObjectId(AppRegistration app, Tenant tenant) {
		return requireApp(app.clientId()).enterpriseObjectIds.computeIfAbsent(tenant.id(),
				(id) -> UUID.randomUUID().toString());
	}

	/**
	 * Exchange Online's {@code New-ServicePrincipal -AppId <app> -ObjectId <objectId>} in {@code tenant}. Exchange
	 * takes any object ID; one that is not the Enterprise application's makes a service principal no token
	 * ever matches, so authentication keeps failing with {@code 535 5.7.3}, as at Microsoft.
	 */
	public void newServicePrincipal(AppRegistration app, Tenant tenant, String objectId) {
		requireTenant(tenant.id());
		requireApp(app.clientId()).exchangeServicePrincipals.put(tenant.id(), normalize(objectId));
	}

	/** {@code Add-MailboxPermission -Identity <mailbox> -User <the app's service principal> -AccessRights FullAccess}. */
	public void addMailboxPermission(String mailbox, AppRegistration app) {
		requireMailbox(mailbox).appFullAccess.add(requireApp(app.clientId()).clientId);
	}

	/** {@code Remove-MailboxPermission} for the app's service principal. */
	public void removeMailboxPermission(String mailbox, AppRegistration app) {
		requireMailbox(mailbox).appFullAccess.remove(requireApp(app.clientId()).clientId);
	}

	/**
	 * RBAC for Applications: {@code New-ManagementScope -RecipientRestrictionFilter "MemberOfGroup -eq '…'"}
	 * over {@code mailboxes} and {@code New-ManagementRoleAssignment -App <app> -Role <role>
	 * -CustomResourceScope <scope>}. Needs the Exchange service principal too ({@link #newServicePrincipal}).
	 */
	public void assignApplicationRole(AppRegistration app, ApplicationRole role, String... mailboxes) {
		App registered = requireApp(app.clientId());
		Set<String> scope = registered.roleAssignments.computeIfAbsent(role, (r) -> ConcurrentHashMap.newKeySet());
		for (String mailbox : mailboxes) {
			scope.add(requireMailbox(mailbox).address());
		}
	}

	/**
	 * Certificates &amp; secrets &gt; Certificates &gt; Upload certificate: the app may then authenticate with a
	 * client assertion signed by the certificate's private key.
	 * @return the certificate's thumbprint as the portal shows it (SHA-1, upper-case hex)
	 */
	public String addCertificate(AppRegistration app, X509Certificate certificate) {
		AppCertificate registered = AppCertificate.of(certificate);
		requireApp(app.clientId()).certificates.add(registered);
		return registered.thumbprint();
	}

	/** Removes an uploaded certificate. */
	public void removeCertificate(AppRegistration app, String thumbprint) {
		requireApp(app.clientId()).certificates.removeIf((c) -> c.thumbprint().equalsIgnoreCase(thumbprint));
	}

	/** Makes the user an admin who may grant tenant-wide (admin) consent. */
	public void makeAdmin(String userPrincipalName) {
		requireMailbox(userPrincipalName).admin = true;
	}

	/** The tenant with this ID or domain. */
	public Optional<Tenant> tenant(String idOrDomain) {
		String key = normalize(idOrDomain);
		return Optional.ofNullable(this.tenantsById.get(key)).or(() -> Optional.ofNullable(this.tenantsByDomain.get(key)));
	}

	/** The app registration as it is now. */
	public Optional<AppRegistration> app(String clientId) {
		return Optional.ofNullable(this.apps.get(normalize(clientId))).map(App::snapshot);
	}

	/** The user with this user principal name. */
	public Optional<User> user(String userPrincipalName) {
		return account(userPrincipalName).map((account) -> account.user);
	}

	public List<Tenant> tenants() {
		return this.tenantsById.values().stream().sorted(Comparator.comparing(Tenant::domain)).toList();
	}

	public List<AppRegistration> apps() {
		return this.apps.values().stream().map(App::snapshot).sorted(Comparator.comparing(AppRegistration::displayName)).toList();
	}

	public List<User> users() {
		return this.mailboxesById.values().stream().map((mailbox) -> mailbox.user)
			.sorted(Comparator.comparing(User::userPrincipalName)).toList();
	}

	// What the identity platform and Exchange look up.

	Optional<App> registeredApp(String clientId) {
		return clientId == null ? Optional.empty() : Optional.ofNullable(this.apps.get(normalize(clientId)));
	}

	Optional<Account> account(String address) {
		return address == null ? Optional.empty() : Optional.ofNullable(this.mailboxesByAddress.get(normalize(address)));
	}

	Optional<Account> accountById(String userId) {
		return Optional.ofNullable(this.mailboxesById.get(userId));
	}

	Optional<Tenant> tenantById(String tenantId) {
		return Optional.ofNullable(this.tenantsById.get(tenantId));
	}

	Clock clock() {
		return this.clock;
	}

	private App requireApp(String clientId) {
		return registeredApp(clientId)
			.orElseThrow(() -> new IllegalArgumentException("No app registration with client ID " + clientId));
	}

	private Account requireMailbox(String address) {
		return account(address).orElseThrow(() -> new IllegalArgumentException("No mailbox " + address));
	}

	private void requireTenant(String tenantId) {
		requireTenantById(tenantId);
	}

	private Tenant requireTenantById(String tenantId) {
		Tenant tenant = this.tenantsById.get(tenantId);
		if (tenant == null) {
			throw new IllegalArgumentException("No tenant " + tenantId + " in this sandbox");
		}
		return tenant;
	}

	static String normalize(String value) {
		return value.trim().toLowerCase(Locale.ROOT);
	}

	// INVENTED: the shape of Entra secret values (40 characters, a "Q~" after the first four) is copied from
	// what the portal shows; their content means nothing.
	private static String newSecretValue() {
		StringBuilder value = new StringBuilder();
		for (int i = 0; i < 40; i++) {
			value.append(SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length())));
		}
		value.setCharAt(4, 'Q');
		value.setCharAt(5, '~');
		return value.toString();
	}

	private static String organizationName(String domain) {
		String name = domain.split("\\.")[0];
		return Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	private static String personName(String address) {
		String local = address.substring(0, Math.max(address.indexOf('@'), 1));
		return Arrays.stream(local.split("[._-]+"))
			.filter((part) -> !part.isEmpty())
			.map((part) -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
			.reduce((a, b) -> a + " " + b)
			.orElse(local);
	}

	/** An app registration with its secrets, redirect URIs and where it has a service principal. */
	static final class App {

		final String clientId;

		final String displayName;

		final String homeTenantId;

		final boolean multiTenant;

		final Set<String> redirectUris = new CopyOnWriteArraySet<>();

		final List<ClientSecret> secrets = new CopyOnWriteArrayList<>();

		final Set<String> servicePrincipals = ConcurrentHashMap.newKeySet();

		final String objectId = UUID.randomUUID().toString();

		final List<AppCertificate> certificates = new CopyOnWriteArrayList<>();

		/** The application permissions listed on the app's API permissions page. */
		final Set<ApplicationPermission> requiredPermissions = ConcurrentHashMap.newKeySet();

		/** Per tenant: the application permissions an admin consented to. */
		final Map<String, Set<ApplicationPermission>> consentedPermissions = new ConcurrentHashMap<>();

		/** Per tenant: the object ID of the app's Enterprise application (service principal). */
		final Map<String, String> enterpriseObjectIds = new ConcurrentHashMap<>();

		/** Per tenant: the object ID Exchange's New-ServicePrincipal was given. */
		final Map<String, String> exchangeServicePrincipals = new ConcurrentHashMap<>();

		/** RBAC for Applications: role to the mailboxes of its management scope. */
		final Map<ApplicationRole, Set<String>> roleAssignments = new ConcurrentHashMap<>();

		App(String clientId, String displayName, String homeTenantId, boolean multiTenant) {
			this.clientId = clientId;
			this.displayName = displayName;
			this.homeTenantId = homeTenantId;
			this.multiTenant = multiTenant;
		}

		AppRegistration snapshot() {
			ClientSecret first = this.secrets.get(0);
			return new AppRegistration(this.clientId, this.displayName, this.homeTenantId, this.multiTenant,
					List.copyOf(this.redirectUris), first.value(), first.id(), this.objectId);
		}

		/** The application permissions consented in {@code tenantId} on {@code resource}, as {@code roles}. */
		Set<String> roles(String tenantId, String resource) {
			return this.consentedPermissions.getOrDefault(tenantId, Set.of())
				.stream()
				.filter((permission) -> permission.resource().equals(Scopes.canonicalResource(resource)))
				.map(ApplicationPermission::value)
				.collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
		}

		/** Whether Exchange knows the app's service principal in {@code tenantId} by its right object ID. */
		boolean exchangeServicePrincipal(String tenantId) {
			String given = this.exchangeServicePrincipals.get(tenantId);
			return given != null && given.equals(this.enterpriseObjectIds.get(tenantId));
		}

		/** Whether RBAC for Applications lets the app act on {@code mailbox} in {@code role}. */
		boolean assigned(ApplicationRole role, String tenantId, String mailbox) {
			return exchangeServicePrincipal(tenantId)
					&& this.roleAssignments.getOrDefault(role, Set.of()).contains(normalize(mailbox));
		}

		Optional<AppCertificate> certificate(String sha1, String sha256) {
			return this.certificates.stream().filter((c) -> c.matches(sha1, sha256)).findFirst();
		}

	}

	/** A user and the settings of their mailbox. */
	static final class Account {

		final User user;

		volatile String basicPassword;

		final Set<String> sendAs = ConcurrentHashMap.newKeySet();

		final Set<String> fullAccess = ConcurrentHashMap.newKeySet();

		/** Client IDs of apps whose Exchange service principal has FullAccess. */
		final Set<String> appFullAccess = ConcurrentHashMap.newKeySet();

		volatile boolean admin;

		Account(User user) {
			this.user = user;
		}

		String address() {
			return this.user.userPrincipalName();
		}

		boolean maySendAs(String from) {
			String address = normalize(from);
			return address.equals(address()) || this.sendAs.contains(address);
		}

		boolean mayBeOpenedBy(String userPrincipalName) {
			String delegate = normalize(userPrincipalName);
			return delegate.equals(address()) || this.fullAccess.contains(delegate);
		}

	}

}
