package io.mailroom.worker.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import io.mailroom.contracts.Attachment;
import io.mailroom.contracts.EmailAddress;
import io.mailroom.contracts.SendRequest;
import io.mailroom.core.failures.InvalidRequestCodes;
import io.mailroom.core.secrets.SecretBox;
import io.mailroom.core.secrets.SecretsProperties;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServiceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class MailComposerTest {

	private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

	private final Session session = MailSessions.create(new Properties());

	private final SmtpService service = SmtpServiceFixtures.microsoftService(
			new SecretBox(new SecretsProperties(
					java.util.Map.of("test", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), "test")),
			"acct", "smtp.office365.com", 587, "support@contoso.example", "client", "secret", null);

	@Test
	void messageIdComesFromTheRequestIdAndTheFromDomain() throws Exception {
		UUID requestId = UUID.fromString("6f1c2a8e-0000-4000-8000-000000000001");

		String messageId = MailComposer.messageId(requestId, "Support@Contoso.Example");
		MailComposer.Composed first = compose(request(requestId).build());
		MailComposer.Composed again = compose(request(requestId).build());

		assertThat(messageId).isEqualTo("<6f1c2a8e-0000-4000-8000-000000000001@contoso.example>");
		assertThat(parsed(first).getMessageID()).isEqualTo(parsed(again).getMessageID())
			.isEqualTo("<6f1c2a8e-0000-4000-8000-000000000001@contoso.example>");
	}

	@Test
	void bccIsInTheEnvelopeOnly() throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID())
			.cc(EmailAddress.of("cc@customer.example"))
			.bcc(EmailAddress.of("hidden@customer.example"))
			.build());

		assertThat(Arrays.stream(composed.recipients()).map(Address::toString)).containsExactly(
				"reader@customer.example", "cc@customer.example", "hidden@customer.example");
		assertThat(raw(composed)).doesNotContain("hidden@customer.example").contains("cc@customer.example");
	}

	@Test
	void textAndHtmlAreAlternativesAndAttachmentsMixedIn() throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID()).html("<p>Three new articles</p>")
			.attachment(Attachment.of("digest.pdf", "application/pdf", new byte[] { 1, 2, 3 }))
			.header("X-Campaign", "weekly")
			.build());

		MimeMessage message = parsed(composed);
		MimeMultipart mixed = (MimeMultipart) message.getContent();
		assertThat(mixed.getContentType()).startsWith("multipart/mixed");
		assertThat(((MimeMultipart) mixed.getBodyPart(0).getContent()).getContentType())
			.startsWith("multipart/alternative");
		assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("digest.pdf");
		assertThat(message.getHeader("X-Campaign")).containsExactly("weekly");
		assertThat(message.getSentDate().toInstant()).isEqualTo(NOW);
	}

	@Test
	void theMessageSentIsTheOneEncodedAtComposition() throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID()).html("<p>Three new articles</p>").build());
		byte[] encoded = composed.mime().clone();

		composed.message().saveChanges();
		ByteArrayOutputStream sent = new ByteArrayOutputStream();
		composed.message().writeTo(sent, new String[] { "Bcc", "Content-Length" });

		assertThat(sent.toByteArray()).isEqualTo(encoded);
		assertThat(composed.message().getSize()).isEqualTo(encoded.length);
		assertThat(composed.message().getFrom()).extracting(Address::toString)
			.containsExactly("Support <support@contoso.example>");
	}

	@Test
	void aMailLargerThanTheServicesLimitIsRefusedByItsEncodedSize() throws Exception {
		SendRequest request = request(UUID.randomUUID()).html("<p>Three new articles</p>").build();
		int size = compose(request).mime().length;
		SmtpService s = service;
		SmtpService limited = new SmtpService(s.id(), s.accountId(), s.name(), s.host(), s.port(), s.fromAddress(),
				s.fromName(), s.replyTo(), s.authentication(), s.status(), s.statusReason(), s.statusChangedAt(),
				s.authorizedAt(), s.authorizedAccount(), s.rateLimitPerMinute(), s.maxConnections(), size - 1L,
				s.lastSuccessAt(), s.lastFailureAt(), s.lastFailure(), s.secretChangedAt(), s.createdAt(),
				s.updatedAt(), s.version());

		MailComposer.Unsendable refused = catchThrowableOfType(MailComposer.Unsendable.class,
				() -> MailComposer.compose(session, limited, OutgoingMail.of(request),
						MailComposer.messageId(request.requestId(), limited.fromAddress()), NOW));

		assertThat(refused.failure().error().code()).isEqualTo(InvalidRequestCodes.MESSAGE_TOO_LARGE);
	}

	static Stream<Arguments> texts() {
		return Stream.of(arguments("ASCII in short lines", "Three new articles.\nRead: https://example.com/a?b=c\n", "7bit"),
				arguments("lines that start with a dot", ".\n..\n.hidden\n", "7bit"),
				arguments("line ends of every kind", "CRLF\r\nLF\nCR\rend", "7bit"),
				arguments("spaces and tabs at line ends", "space \ntab\t\r\nend ", "7bit"),
				arguments("nothing", "", "7bit"),
				arguments("mostly ASCII", "Grüße aus Zürich \nund Genf\t\n= 3 Artikel", "quoted-printable"),
				arguments("long lines of mostly ASCII", "Zürich, Genf = Bern ".repeat(40) + "\n" + "ö".repeat(30),
						"quoted-printable"),
				arguments("a line longer than SMTP allows", "x".repeat(2_000), "quoted-printable"),
				arguments("what a boundary is made of", "------=_Part_0_1\n--\n", "quoted-printable"),
				arguments("emoji", "Weekly digest \uD83D\uDCEC and more \uD83C\uDF89\n", "quoted-printable"),
				arguments("mostly not ASCII", "Привет, мир! Три новые статьи.\nДо встречи.", "base64"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("texts")
	void aTextComesBackAsItWasSentInTheEncodingItNeeds(String kind, String text, String encoding) throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID()).text(text).build());

		MimeMessage message = parsed(composed);
		assertThat(message.getEncoding()).isEqualTo(encoding);
		assertThat(lines(message.getContent())).isEqualTo(lines(text));
		assertThat(raw(composed)).doesNotContainPattern("\r(?!\n)|(?<!\r)\n");
		String body = raw(composed).substring(raw(composed).indexOf("\r\n\r\n") + 4);
		assertThat(body.split("\r\n")).allSatisfy(line -> assertThat(line.length())
			.isLessThanOrEqualTo(encoding.equals("7bit") ? MimeWriter.MAX_LINE : MimeWriter.MAX_ENCODED_LINE));
	}

	@Test
	void textHtmlAndAttachmentsComeBackWithTheirBytesAndFileNames() throws Exception {
		byte[] pdf = new byte[10_000];
		new Random(7).nextBytes(pdf);
		String html = "<p>Grüße</p>\n<p>=_ and .</p>";
		MailComposer.Composed composed = compose(request(UUID.randomUUID()).html(html)
			.attachment(Attachment.of("Übersicht März.pdf", "application/pdf", pdf))
			.attachment(Attachment.of("notes.txt", null, "a\nb".getBytes(StandardCharsets.US_ASCII)))
			.build());

		MimeMultipart mixed = (MimeMultipart) parsed(composed).getContent();
		MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
		assertThat(lines(alternative.getBodyPart(0).getContent())).isEqualTo(lines("Three new articles this week."));
		assertThat(alternative.getBodyPart(1).getContentType()).isEqualTo("text/html; charset=UTF-8");
		assertThat(lines(alternative.getBodyPart(1).getContent())).isEqualTo(lines(html));
		assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("Übersicht März.pdf");
		assertThat(mixed.getBodyPart(1).getContentType()).startsWith("application/pdf;");
		assertThat(mixed.getBodyPart(1).getDisposition()).isEqualTo(Part.ATTACHMENT);
		assertThat(mixed.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(pdf);
		assertThat(mixed.getBodyPart(2).getContentType()).startsWith("application/octet-stream;");
		assertThat(mixed.getBodyPart(2).getInputStream().readAllBytes()).isEqualTo("a\nb".getBytes(StandardCharsets.US_ASCII));
	}

	@Test
	void namesAndHeaderValuesComeBackAsTheyWereSent() throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID())
			.to(new EmailAddress("second@customer.example", "Jöns, \"the reader\""))
			.cc(new EmailAddress("cc@customer.example", "Ünal"))
			.header("X-Campaign", "Frühling 2027")
			.header("x-campaign", "Sommer 2027")
			.build());

		MimeMessage message = parsed(composed);
		assertThat(message.getRecipients(Message.RecipientType.TO)).extracting(a -> ((InternetAddress) a).getPersonal())
			.containsExactly(null, "Jöns, \"the reader\"");
		assertThat(((InternetAddress) message.getRecipients(Message.RecipientType.CC)[0]).getPersonal()).isEqualTo("Ünal");
		assertThat(message.getHeader("X-Campaign")).hasSize(1);
		assertThat(MimeUtility.decodeText(message.getHeader("X-Campaign", null))).isEqualTo("Sommer 2027");
		assertThat(new String(composed.mime(), StandardCharsets.ISO_8859_1)).doesNotContainPattern("[^\\x00-\\x7F]");
	}

	@Test
	void anAttachmentWhoseContentTypeIsNoMimeTypeIsRefused() {
		MailComposer.Unsendable refused = catchThrowableOfType(MailComposer.Unsendable.class,
				() -> compose(request(UUID.randomUUID())
					.attachment(Attachment.of("a.bin", "not a type", new byte[] { 1 }))
					.build()));

		assertThat(refused.failure().error().code()).isEqualTo(InvalidRequestCodes.SCHEMA_VIOLATION);
	}

	/** Text as lines: whatever line ends a text had, a mail carries them as CRLF. */
	private static List<String> lines(Object text) {
		return List.of(((String) text).split("\r\n|\r|\n", -1));
	}

	@Test
	void aLineBreakInTheSubjectIsRefused() {
		MailComposer.Unsendable refused = catchThrowableOfType(MailComposer.Unsendable.class,
				() -> compose(request(UUID.randomUUID()).subject("Hi\r\nBcc: victim@example.com").build()));

		assertThat(refused.failure().error().code()).isEqualTo(InvalidRequestCodes.HEADER_INJECTION);
	}

	@Test
	void onlyXHeadersPassThrough() {
		MailComposer.Unsendable refused = catchThrowableOfType(MailComposer.Unsendable.class,
				() -> compose(request(UUID.randomUUID()).header("Return-Path", "x@example.com").build()));

		assertThat(refused.failure().error().code()).isEqualTo(InvalidRequestCodes.INVALID_HEADER);
	}

	@Test
	void theSubjectIsEncodedAsUtf8() throws Exception {
		MailComposer.Composed composed = compose(request(UUID.randomUUID()).subject("Grüße aus Zürich").build());

		assertThat(parsed(composed).getSubject()).isEqualTo("Grüße aus Zürich");
		assertThat(raw(composed)).contains("Subject: =?UTF-8?");
	}

	@Test
	void composingAMailNeverScansTheClassPathForJakartaMailsStreamProvider() throws Exception {
		SendRequest digest = request(UUID.randomUUID()).html("<p>Three new articles</p>")
			.subject("Grüße aus Zürich")
			.attachment(Attachment.of("digest.pdf", "application/pdf", new byte[] { 1, 2, 3 }))
			.build();

		ServiceLookups named = lookupsWhile(() -> raw(compose(digest)));
		ServiceLookups unnamed;
		String name = System.clearProperty(MailSessions.STREAM_PROVIDER);
		try {
			unnamed = lookupsWhile(() -> raw(compose(digest)));
		}
		finally {
			System.setProperty(MailSessions.STREAM_PROVIDER, name);
		}

		assertThat(name).isEqualTo("org.eclipse.angus.mail.util.MailStreamProvider");
		assertThat(named.scans).isZero();
		// without the name, encoding the subject's words alone scans every jar
		assertThat(unnamed.scans).isPositive();
	}

	@Test
	void aStreamProviderNamedBeforeIsKept() {
		String name = System.getProperty(MailSessions.STREAM_PROVIDER);
		System.setProperty(MailSessions.STREAM_PROVIDER, "com.example.OwnStreamProvider");
		try {
			MailSessions.nameStreamProvider();

			assertThat(System.getProperty(MailSessions.STREAM_PROVIDER)).isEqualTo("com.example.OwnStreamProvider");
		}
		finally {
			System.setProperty(MailSessions.STREAM_PROVIDER, name);
		}
	}

	/** Runs {@code work} with a context class loader that counts service-loader scans for a StreamProvider. */
	private static ServiceLookups lookupsWhile(ThrowingRunnable work) throws Exception {
		Thread thread = Thread.currentThread();
		ClassLoader original = thread.getContextClassLoader();
		ServiceLookups lookups = new ServiceLookups(original);
		thread.setContextClassLoader(lookups);
		try {
			work.run();
		}
		finally {
			thread.setContextClassLoader(original);
		}
		return lookups;
	}

	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	private static final class ServiceLookups extends ClassLoader {

		int scans;

		ServiceLookups(ClassLoader parent) {
			super(parent);
		}

		@Override
		public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
			if (name.equals("META-INF/services/jakarta.mail.util.StreamProvider")) {
				scans++;
			}
			return super.getResources(name);
		}

	}

	private SendRequest.Builder request(UUID requestId) {
		return SendRequest.builder("acct", service.id())
			.requestId(requestId)
			.to("reader@customer.example")
			.subject("Your weekly digest")
			.text("Three new articles this week.");
	}

	private MailComposer.Composed compose(SendRequest request) throws MailComposer.Unsendable {
		return MailComposer.compose(session, service, OutgoingMail.of(request),
				MailComposer.messageId(request.requestId(), service.fromAddress()), NOW);
	}

	private static String raw(MailComposer.Composed composed) {
		return new String(composed.mime(), StandardCharsets.US_ASCII);
	}

	private MimeMessage parsed(MailComposer.Composed composed) throws Exception {
		return new MimeMessage(session, new ByteArrayInputStream(composed.mime()));
	}

}
