package io.mailroom.worker.queue;

import java.util.Set;

/**
 * Intake stored new mail for these mailboxes (see {@link io.mailroom.core.services.SmtpService#mailbox()}):
 * whoever dispatches them may have work now. Published as an application event, so intake knows nothing
 * of how mail is dispatched.
 */
public record MailStored(Set<String> mailboxes) {

	public MailStored {
		mailboxes = Set.copyOf(mailboxes);
	}

}
