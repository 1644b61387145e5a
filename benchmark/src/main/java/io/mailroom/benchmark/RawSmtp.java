package io.mailroom.benchmark;

import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLSocketFactory;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail as an application would use it without Mailroom: the same SMTP settings as the worker (STARTTLS
 * required, TLS 1.2+, verified certificate, XOAUTH2) and the same message shape (From and Reply-To of the
 * service, multipart/alternative text and HTML, a Message-ID from the requestId), so
 * the plain loops pay what a careful application pays per mail and no more.
 */
final class RawSmtp {

	private final Session session;

	/**
	 * @param trust verifies the server's certificate (the sandbox's CA)
	 * @param writeTimeouts runs Angus Mail's write-timeout checks without a thread per connection
	 */
	RawSmtp(SSLSocketFactory trust, ScheduledExecutorService writeTimeouts) {
		Properties props = new Properties();
		props.put("mail.transport.protocol", "smtp");
		props.put("mail.smtp.auth", "true");
		props.put("mail.smtp.auth.mechanisms", "XOAUTH2");
		props.put("mail.smtp.starttls.enable", "true");
		props.put("mail.smtp.starttls.required", "true");
		props.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
		props.put("mail.smtp.ssl.checkserveridentity", "true");
		props.put("mail.smtp.ssl.socketFactory", trust);
		props.put("mail.smtp.connectiontimeout", "10000");
		props.put("mail.smtp.timeout", "30000");
		props.put("mail.smtp.writetimeout", "30000");
		props.put("mail.smtp.executor.writetimeout", writeTimeouts);
		props.put("mail.smtp.sendpartial", "false");
		props.put("mail.smtp.quitwait", "false");
		this.session = Session.getInstance(props);
	}

	/** A new transport, connected and authenticated with XOAUTH2. */
	SMTPTransport connect(SmtpService service, String accessToken) throws MessagingException {
		SMTPTransport transport = (SMTPTransport) session.getTransport("smtp");
		transport.connect(service.host(), service.port(), service.authentication().login(), accessToken);
		return transport;
	}

	/** The request as a MIME message from the service, with its envelope recipients. */
	Mail compose(SmtpService service, SendRequest request) throws MessagingException {
		MimeMessage message = new MimeMessage(session);
		try {
			message.setFrom(new InternetAddress(service.fromAddress(), service.fromName(), "UTF-8"));
			if (service.replyTo() != null) {
				message.setReplyTo(new Address[] { new InternetAddress(service.replyTo()) });
			}
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new MessagingException("UTF-8 is always supported", ex);
		}
		Address[] to = new Address[request.to().size()];
		for (int i = 0; i < to.length; i++) {
			EmailAddress address = request.to().get(i);
			to[i] = new InternetAddress(address.address());
		}
		message.setRecipients(Message.RecipientType.TO, to);
		message.setSubject(request.subject(), "UTF-8");
		message.setSentDate(new Date());
		if (request.html() != null) {
			MimeMultipart alternative = new MimeMultipart("alternative");
			MimeBodyPart text = new MimeBodyPart();
			text.setText(request.text(), "UTF-8");
			MimeBodyPart html = new MimeBodyPart();
			html.setText(request.html(), "UTF-8", "html");
			alternative.addBodyPart(text);
			alternative.addBodyPart(html);
			message.setContent(alternative);
		}
		else {
			message.setText(request.text(), "UTF-8");
		}
		message.saveChanges();
		// after saveChanges, which makes up a Message-ID; sendMessage does not save again
		message.setHeader("Message-ID", messageId(request, service.fromAddress()));
		return new Mail(message, to);
	}

	private static String messageId(SendRequest request, String from) {
		String domain = from.substring(from.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
		return "<" + request.requestId() + "@" + domain + ">";
	}

	/** A composed message and its envelope recipients. */
	record Mail(MimeMessage message, Address[] recipients) {

		/** The size of the message as sent, before dot-stuffing. */
		long mimeBytes() throws MessagingException {
			var counter = new java.io.ByteArrayOutputStream();
			try {
				message.writeTo(counter);
			}
			catch (java.io.IOException ex) {
				throw new MessagingException("Could not measure a mail", ex);
			}
			return counter.size();
		}

	}

}
