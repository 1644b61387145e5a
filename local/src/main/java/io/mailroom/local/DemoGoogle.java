package io.mailroom.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.mailroom.sandbox.GoogleSandbox;
import io.mailroom.sandbox.GoogleWorkspace;

/**
 * The Google stand-in's demo organization: a Workspace domain, its mailbox, an Internal and published OAuth client
 * of type Web application, and a service account whose domain-wide delegation for Gmail's scope is allowed (as a
 * super admin would in the Admin console). The client's values are fixed and the service account's key is kept in
 * the data directory, so that stored services still match after a restart. Nothing here is a secret: it exists only
 * in the stand-in.
 *
 * @param domain the Workspace's domain
 * @param loginEmail the mailbox that sends, and the account to sign in with
 * @param clientId the OAuth client's Client ID
 * @param clientSecret the OAuth client's Client secret
 */
public record DemoGoogle(String domain, String loginEmail, String clientId, String clientSecret) {

	/** The demo values of every local run. */
	public static final DemoGoogle DEMO = new DemoGoogle("fabrikam.example", "sender@fabrikam.example",
			"204857361920-mailroomlocaldemo.apps.googleusercontent.com", "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");

	/**
	 * Creates the Workspace, the OAuth client (with {@code redirectUri}) and the service account in the stand-in.
	 * @param keyFile where the service account's JSON key is kept between runs (written on the first)
	 */
	void create(GoogleSandbox google, String redirectUri, Path keyFile) {
		GoogleWorkspace workspace = google.workspace();
		workspace.createUser(this.loginEmail);
		workspace.registerClient(this.clientId, this.clientSecret, this.domain, GoogleWorkspace.UserType.INTERNAL,
				GoogleWorkspace.PublishingStatus.IN_PRODUCTION, redirectUri);
		try {
			GoogleWorkspace.ServiceAccount account = Files.exists(keyFile)
					? google.importServiceAccount(Files.readString(keyFile))
					: google.createServiceAccount("mailroom-local", "sender");
			Files.writeString(keyFile, account.jsonKey());
			workspace.allowDomainWideDelegation(this.domain, account.clientId(), GoogleWorkspace.MAIL_SCOPE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not keep the demo service account's key in " + keyFile, ex);
		}
	}

}
