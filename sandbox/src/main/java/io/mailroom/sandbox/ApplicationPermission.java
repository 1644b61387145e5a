package io.mailroom.sandbox;

/**
 * Application permissions (app roles) an admin can consent to, as they appear in {@code roles} of a
 * client-credentials token.
 *
 * @param resource the API that defines it
 * @param value the role's value
 */
public enum ApplicationPermission {

	/** Office 365 Exchange Online: send as any mailbox the service principal has FullAccess to (SMTP AUTH). */
	SMTP_SEND_AS_APP("https://outlook.office365.com", "SMTP.SendAsApp"),

	/** Microsoft Graph: send mail as any user (scope it with RBAC for Applications). */
	MAIL_SEND("https://graph.microsoft.com", "Mail.Send"),

	/** Microsoft Graph: read mail in all mailboxes (finding a sent message by its internetMessageId). */
	MAIL_READ_BASIC_ALL("https://graph.microsoft.com", "Mail.ReadBasic.All"),

	/** Microsoft Graph: read and write mail in all mailboxes (drafts and upload sessions for large mail). */
	MAIL_READ_WRITE("https://graph.microsoft.com", "Mail.ReadWrite");

	private final String resource;

	private final String value;

	ApplicationPermission(String resource, String value) {
		this.resource = resource;
		this.value = value;
	}

	public String resource() {
		return this.resource;
	}

	public String value() {
		return this.value;
	}

}
