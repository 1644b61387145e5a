package io.mailroom.core.failures;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import static io.mailroom.contracts.ErrorCategory.CONFIGURATION;
import static io.mailroom.contracts.ErrorCategory.NETWORK;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkFailuresTest {

	private static final String CONNECT = "connect to smtp.office365.com:587";

	@Test
	void aRefusedConnectionIsRetriedAndSaysWhatMailroomWasDoing() {
		Failure failure = Failures.network(CONNECT, new ConnectException("Connection refused"));

		assertThat(failure.error().category()).isEqualTo(NETWORK);
		assertThat(failure.error().code()).isEqualTo("CONNECTION_REFUSED");
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.impact()).isEqualTo(ServiceImpact.NONE);
		assertThat(failure.error().message())
			.isEqualTo("Mailroom could not connect to smtp.office365.com:587: the connection was refused.");
		assertThat(failure.error().hint()).contains("host and port");
	}

	@Test
	void looksThroughTheWrappersOfMailLibraries() {
		Exception angus = new Exception("Couldn't connect to host, port: smtp.office365.com, 587; timeout 30000",
				new ConnectException("Connection refused"));

		assertThat(Failures.network(CONNECT, angus).error().code()).isEqualTo("CONNECTION_REFUSED");
	}

	@Test
	void looksThroughTheFuturesOfMsal() {
		Throwable msal = new CompletionException(new ExecutionException(new SocketTimeoutException("Read timed out")));

		Failure failure = Failures.network("get a token from login.microsoftonline.com", msal);

		assertThat(failure.error().code()).isEqualTo("TIMEOUT");
		assertThat(failure.retryable()).isTrue();
	}

	@Test
	void anOsLevelConnectTimeoutIsATimeoutNotARefusal() {
		assertThat(Failures.network(CONNECT, new ConnectException("Connection timed out")).error().code()).isEqualTo("TIMEOUT");
	}

	@Test
	void anUnknownHostIsRetriedButPointsAtTheSpelling() {
		Failure failure = Failures.network(CONNECT, new UnknownHostException("smtp.office365.con"));

		assertThat(failure.error().code()).isEqualTo("UNKNOWN_HOST");
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.error().hint()).contains("spelling");
	}

	@Test
	void aDroppedConnectionIsRetried() {
		Failure failure = Failures.network("send the message", new SocketException("Connection reset"));

		assertThat(failure.error().code()).isEqualTo("CONNECTION_DROPPED");
		assertThat(failure.retryable()).isTrue();
	}

	@Test
	void anUntrustedCertificateIsConfigurationThatHoldsTheServiceAndIsNotRetried() {
		SSLHandshakeException handshake = new SSLHandshakeException(
				"PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target");
		handshake.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));

		Failure failure = Failures.network(CONNECT, new Exception("Could not convert socket to TLS", handshake));

		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.error().code()).isEqualTo("TLS_CERTIFICATE");
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.impact()).isEqualTo(ServiceImpact.CONFIGURATION_ERROR);
		assertThat(failure.error().hint()).contains("private authority");
	}

	@Test
	void aCertificateForAnotherHostSaysToUseTheHostNameItNames() {
		SSLHandshakeException handshake = new SSLHandshakeException("No subject alternative DNS name matching 52.96.0.1 found.");
		handshake.initCause(new CertificateException("No subject alternative DNS name matching 52.96.0.1 found."));

		Failure failure = Failures.network(CONNECT, handshake);

		assertThat(failure.error().code()).isEqualTo("TLS_HOST_MISMATCH");
		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.error().hint()).contains("not an IP address");
	}

	@Test
	void noCommonTlsVersionSaysWhatTheServerMustOffer() {
		Failure failure = Failures.network(CONNECT, new SSLHandshakeException("Received fatal alert: protocol_version"));

		assertThat(failure.error().code()).isEqualTo("TLS_PROTOCOL");
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.error().hint()).contains("TLS 1.2");
	}

	@Test
	void tlsOnAPortThatExpectsStarttlsSaysWhichPortGoesWithWhich() {
		Failure failure = Failures.network(CONNECT, new SSLException("Unrecognized SSL message, plaintext connection?"));

		assertThat(failure.error().code()).isEqualTo("TLS_MODE");
		assertThat(failure.error().category()).isEqualTo(CONFIGURATION);
		assertThat(failure.error().hint()).contains("587 with STARTTLS").contains("465");
	}

	@Test
	void aHandshakeCutShortIsRetried() {
		Failure failure = Failures.network(CONNECT, new SSLHandshakeException("Remote host terminated the handshake"));

		assertThat(failure.error().code()).isEqualTo("CONNECTION_DROPPED");
		assertThat(failure.retryable()).isTrue();
	}

	@Test
	void anythingElseIsANetworkErrorWorthRetrying() {
		Failure failure = Failures.network(null, new IOException("something odd"));

		assertThat(failure.error().code()).isEqualTo("NETWORK_ERROR");
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.error().message()).isEqualTo("Mailroom could not reach the server: a network error occurred.");
	}

	@Test
	void exceptionTextNeverReachesTheMessage() {
		Failure failure = Failures.network(CONNECT, new ConnectException("Connection refused (client_secret=abc123)"));

		assertThat(failure.error().message()).doesNotContain("abc123");
		assertThat(failure.error().hint()).doesNotContain("abc123");
	}

	@Test
	void theOperationMayAlsoBeAnIngPhrase() {
		Failure failure = Failures.network("sending mail", new SocketException("Broken pipe"));

		assertThat(failure.error().message()).isEqualTo("Mailroom failed while sending mail: the connection was dropped.");
	}

	@Test
	void theOperationIsKeptToOneLine() {
		Failure failure = Failures.network("connect to\r\nsmtp.office365.com", new ConnectException("Connection refused"));

		assertThat(failure.error().message()).doesNotContain("\n").contains("connect to smtp.office365.com");
	}

	@Test
	void aCauseChainThatLoopsEnds() {
		IOException a = new IOException("a");
		IOException b = new IOException("b", a);
		a.initCause(b);

		assertThat(Failures.network(CONNECT, a).error().code()).isEqualTo("NETWORK_ERROR");
	}

}
