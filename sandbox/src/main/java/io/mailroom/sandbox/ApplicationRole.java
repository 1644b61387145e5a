package io.mailroom.sandbox;

/**
 * Exchange Online's built-in roles of RBAC for Applications, assigned to an app's service principal over a
 * management scope of mailboxes ({@code New-ManagementRoleAssignment -App … -Role … -CustomResourceScope …}).
 * The app needs no API permission in Entra then.
 */
public enum ApplicationRole {

	/** {@code Application SMTP.SendAsApp}: SMTP AUTH as the scoped mailboxes. */
	SMTP_SEND_AS_APP("Application SMTP.SendAsApp"),

	/** {@code Application Mail.Send}: Graph sendMail as the scoped mailboxes. */
	MAIL_SEND("Application Mail.Send"),

	/** {@code Application Mail.ReadBasic}: read the scoped mailboxes' messages without bodies. */
	MAIL_READ_BASIC("Application Mail.ReadBasic"),

	/** {@code Application Mail.ReadWrite}: drafts and upload sessions in the scoped mailboxes. */
	MAIL_READ_WRITE("Application Mail.ReadWrite");

	private final String roleName;

	ApplicationRole(String roleName) {
		this.roleName = roleName;
	}

	/** The name Exchange's cmdlets use. */
	public String roleName() {
		return this.roleName;
	}

}
