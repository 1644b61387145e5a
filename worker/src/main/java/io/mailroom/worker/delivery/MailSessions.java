package io.mailroom.worker.delivery;

import java.util.Properties;

import jakarta.mail.Session;
import org.eclipse.angus.mail.util.MailStreamProvider;

/**
 * Makes every Jakarta Mail session of the worker, after naming Angus Mail's {@code StreamProvider}.
 *
 * <p>Jakarta Mail 2.1 looks its {@code StreamProvider} up anew each time a body part or multipart is
 * created and each time a part is encoded or a header word is encoded, and without a name it asks the
 * service loader, which reads {@code META-INF/services} in every jar on the class path
 * (jakartaee/mail-api#861, open): a third of the worker's CPU per mail went there. Named by the system
 * property {@value #STREAM_PROVIDER}, it loads that one class instead. A value someone already set is
 * kept. The class is loaded through the thread's context class loader, which on Mailroom's threads is
 * the application's.
 */
final class MailSessions {

	/** The system property Jakarta Mail's {@code FactoryFinder} reads before it scans the class path. */
	static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

	private MailSessions() {
	}

	static Session create(Properties properties) {
		nameStreamProvider();
		return Session.getInstance(properties);
	}

	static synchronized void nameStreamProvider() {
		if (System.getProperty(STREAM_PROVIDER) == null) {
			System.setProperty(STREAM_PROVIDER, MailStreamProvider.class.getName());
		}
	}

}
