package io.mailroom.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.subethamail.smtp.AuthenticationHandler;
import org.subethamail.smtp.AuthenticationHandlerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.MultipleAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.PlainAuthenticationHandlerFactory;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The lean SMTP sink, a JVM of its own so that its CPU time is its own: SubEthaSMTP with STARTTLS required
 * (TLS 1.2 or newer, a self-signed certificate for localhost), AUTH PLAIN with any password and XOAUTH2 with
 * any bearer token (the tokens come from the run's identity platform; checking them is the stand-in's job,
 * not a ceiling's), and every mail read to its end and counted, never kept. Unlike the Microsoft stand-in it
 * parses nothing and applies no limits, so a mail costs it the least a real SMTP server library can do.
 *
 * <p>Controlled over standard input and output, one line each way: it prints {@code ready <port>} once it
 * listens; {@code stats} answers {@code stats <mails> <bytes> <sessions> <first> <last>} (epoch
 * milliseconds of the first and last mail since the last reset, 0 if none); {@code reset} zeroes the counts;
 * end of input stops it.
 */
final class LeanSink {

	private final AtomicLong mails = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong sessions = new AtomicLong();

	private final LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);

	private final LongAccumulator last = new LongAccumulator(Math::max, 0);

	private LeanSink() {
	}

	/** Arguments: the file to write the sink's certificate to (PEM), for its clients to trust. */
	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("Usage: LeanSink <certificate.pem>");
			System.exit(2);
		}
		LeanSink sink = new LeanSink();
		SSLContext tls = selfSigned(Path.of(args[0]));
		SMTPServer server = SMTPServer.port(0)
			.bindAddress(InetAddress.getLoopbackAddress())
			.hostName("localhost")
			.enableTLS(true)
			.requireTLS(true)
			.startTlsSocketFactory(socket -> {
				InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
				SSLSocket secured = (SSLSocket) tls.getSocketFactory()
					.createSocket(socket, remote.getHostString(), socket.getPort(), true);
				secured.setUseClientMode(false);
				secured.setEnabledProtocols(new String[] { "TLSv1.3", "TLSv1.2" });
				return secured;
			})
			.requireAuth(true)
			.authenticationHandlerFactory(new MultipleAuthenticationHandlerFactory(
					List.of(new PlainAuthenticationHandlerFactory((user, password, context) -> {
					}), new XOAuth2())))
			.messageHandlerFactory(context -> sink.new Counting())
			.sessionHandler(sink.new Sessions())
			.insertReceivedHeaders(false)
			.maxConnections(10_000)
			.connectionTimeout(5, java.util.concurrent.TimeUnit.MINUTES)
			.serverThreadName("lean-sink")
			.build();
		server.start();
		PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
		out.println("ready " + server.getPortAllocated());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			switch (line.strip()) {
				case "stats" -> out.println(sink.stats());
				case "reset" -> {
					sink.reset();
					out.println("reset");
				}
				default -> out.println("unknown " + line);
			}
		}
		server.stop();
		System.exit(0);
	}

	private String stats() {
		long firstAt = first.get();
		return "stats " + mails.get() + " " + bytes.get() + " " + sessions.get() + " "
				+ (firstAt == Long.MAX_VALUE ? 0 : firstAt) + " " + last.get();
	}

	private void reset() {
		mails.set(0);
		bytes.set(0);
		sessions.set(0);
		first.reset();
		last.reset();
	}

	/** A self-signed certificate for localhost and the loopback addresses, written to {@code pem} as well. */
	private static SSLContext selfSigned(Path pem) throws GeneralSecurityException, IOException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();
		X500Name name = new X500Name("CN=localhost,O=Mailroom benchmark,OU=Lean SMTP sink");
		Instant now = Instant.now();
		var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
				Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
		X509Certificate certificate;
		try {
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
							new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1") }));
			certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
		}
		catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException ex) {
			throw new GeneralSecurityException(ex);
		}
		Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
				+ "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
		char[] password = "lean-sink".toCharArray();
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setKeyEntry("sink", keys.getPrivate(), password, new X509Certificate[] { certificate });
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(store, password);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		return context;
	}

	/** Reads each mail to its end (dot-unstuffed by the server) and counts it. */
	private final class Counting implements MessageHandler {

		@Override
		public void from(String from) {
		}

		@Override
		public void recipient(String recipient) {
		}

		@Override
		public String data(InputStream data) throws IOException {
			long size = data.transferTo(OutputStream.nullOutputStream());
			bytes.addAndGet(size);
			mails.incrementAndGet();
			long now = System.currentTimeMillis();
			first.accumulate(now);
			last.accumulate(now);
			return null;
		}

		@Override
		public void done() {
		}

	}

	private final class Sessions implements SessionHandler {

		@Override
		public SessionAcceptance accept(Session session) {
			sessions.incrementAndGet();
			return SessionAcceptance.success();
		}

		@Override
		public void onSessionEnd(Session session) {
		}

	}

	/**
	 * XOAUTH2 (RFC 7628's predecessor as Microsoft and Google use it): {@code user=<mailbox>^Aauth=Bearer
	 * <token>^A^A}, as an initial response or after an empty challenge. Any well-formed bearer token passes.
	 */
	private static final class XOAuth2 implements AuthenticationHandlerFactory {

		@Override
		public List<String> getAuthenticationMechanisms() {
			return List.of("XOAUTH2");
		}

		@Override
		public AuthenticationHandler create() {
			return new AuthenticationHandler() {

				private String user;

				@Override
				public Optional<String> auth(String clientInput, MessageContext context) throws RejectException {
					String[] words = clientInput.strip().split(" ");
					String response;
					if (words[0].equalsIgnoreCase("AUTH")) {
						if (words.length < 3) {
							return Optional.of("334 ");
						}
						response = words[2];
					}
					else {
						response = words[0];
					}
					String decoded;
					try {
						decoded = new String(Base64.getDecoder().decode(response), StandardCharsets.UTF_8);
					}
					catch (IllegalArgumentException ex) {
						throw new RejectException(501, "5.5.2 Cannot decode the XOAUTH2 response");
					}
					String[] parts = decoded.split("\u0001");
					if (parts.length < 2 || !parts[0].startsWith("user=") || !parts[1].startsWith("auth=Bearer ")
							|| parts[1].length() <= "auth=Bearer ".length()) {
						throw new RejectException(535, "5.7.3 Authentication unsuccessful");
					}
					user = parts[0].substring("user=".length());
					return Optional.empty();
				}

				@Override
				public Object getIdentity() {
					return user;
				}

			};
		}

	}

}
