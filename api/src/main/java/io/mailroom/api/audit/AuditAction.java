package io.mailroom.api.audit;

/** The admin actions the audit log records. */
public enum AuditAction {

	SERVICE_CREATED,

	SERVICE_UPDATED,

	SERVICE_DELETED,

	/** Verify setup ran (with whether it passed). */
	SERVICE_VERIFIED,

	AUTHORIZATION_STARTED,

	AUTHORIZATION_SUCCEEDED,

	AUTHORIZATION_FAILED,

	TEST_EMAIL_SENT,

	API_KEY_CREATED,

	API_KEY_REVOKED

}
