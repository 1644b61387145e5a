package io.mailroom.local;

import java.util.List;

import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.ApplicationPermission;
import io.mailroom.sandbox.Directory;
import io.mailroom.sandbox.Tenant;

/**
 * The stand-in's demo organization: a tenant, an app registration and a mailbox, with the values an admin
 * pastes into the Create SMTP Service form. Fixed, so that services stored in PostgreSQL still match the
 * stand-in after a restart (the stand-in forgets its sign-ins, though: authorize again after a restart).
 * Nothing here is a secret: it exists only in the stand-in.
 *
 * @param tenantId the tenant ID (Directory (tenant) ID in the Entra portal)
 * @param domain the tenant's domain
 * @param clientId the app registration's Application (client) ID
 * @param clientSecret the value of its client secret
 * @param loginEmail the mailbox that sends, and the account to sign in with
 */
public record DemoMailbox(String tenantId, String domain, String clientId, String clientSecret, String loginEmail) {

	/** The demo values of every local run. */
	public static final DemoMailbox DEMO = new DemoMailbox("6f1d3c2a-8b4e-4f7a-9c5d-0e2b1a3f4d5c", "contoso.example",
			"3a7c9e1b-5d2f-4a6c-8e0b-7f9d1c3e5a2b", "demo8Q~MailroomLocalStandInSecretValue01",
			"sender@contoso.example");

	/**
	 * Creates the tenant, the app (with {@code redirectUri} registered) and the mailbox in the stand-in. For an
	 * APPLICATION service the Exchange side is done (service principal and FullAccess, as if the admin had run
	 * the PowerShell), but the app's permissions SMTP.SendAsApp and Graph's Mail.Send wait for admin consent:
	 * the service's admin-consent URL, accepted as {@code admin@<domain>}, then Verify setup.
	 */
	void create(Directory directory, String redirectUri) {
		Tenant tenant = directory.createTenant(this.tenantId, this.domain);
		AppRegistration app = directory.registerApp(tenant, this.clientId, "Mailroom (local)", false, this.clientSecret,
				List.of(redirectUri));
		directory.createUser(tenant, this.loginEmail);
		directory.createUser(tenant, "admin@" + this.domain);
		directory.makeAdmin("admin@" + this.domain);
		directory.requestApplicationPermission(app, ApplicationPermission.SMTP_SEND_AS_APP);
		directory.requestApplicationPermission(app, ApplicationPermission.MAIL_SEND);
		// the Exchange side of app-only SMTP (New-ServicePrincipal, Add-MailboxPermission), as an admin would have run it
		directory.newServicePrincipal(app, tenant, directory.enterpriseApplicationObjectId(app, tenant));
		directory.addMailboxPermission(this.loginEmail, app);
	}

}
