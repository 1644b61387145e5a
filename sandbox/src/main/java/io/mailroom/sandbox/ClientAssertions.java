package io.mailroom.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import io.mailroom.sandbox.Directory.App;
import tools.jackson.core.JacksonException;

/**
 * Checks a {@code private_key_jwt} client assertion as Entra does: the certificate named by {@code x5t#S256}
 * or {@code x5t} must be uploaded to the app and unexpired, the RS256 or PS256 signature must verify with
 * it, {@code aud} must be the token endpoint, {@code iss} and {@code sub} the client ID, and the time now
 * within {@code nbf}..{@code exp}.
 */
final class ClientAssertions {

	static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private ClientAssertions() {
	}

	static void verify(String assertion, App app, String tokenEndpoint, Instant now) throws IdentityFailure {
		String[] parts = assertion.split("\\.");
		if (parts.length != 3) {
			throw new IdentityFailure(IdentityError.clientAssertionInvalidSignature());
		}
		Map<?, ?> header = json(parts[0]);
		Map<?, ?> claims = json(parts[1]);
		String sha256 = (String) header.get("x5t#S256");
		String sha1 = (String) header.get("x5t");
		AppCertificate certificate = app.certificate(sha1, sha256)
			.orElseThrow(() -> new IdentityFailure(IdentityError.clientAssertionKeyNotFound(hex(sha1, sha256),
					app.clientId)));
		if (!now.isBefore(certificate.certificate().getNotAfter().toInstant())) {
			throw new IdentityFailure(IdentityError.clientAssertionKeyExpired(certificate.thumbprint()));
		}
		if (!signatureValid(String.valueOf(header.get("alg")), parts, certificate)) {
			throw new IdentityFailure(IdentityError.clientAssertionInvalidSignature());
		}
		if (!tokenEndpoint.equals(claims.get("aud"))) {
			throw new IdentityFailure(IdentityError.clientAssertionClaimsInvalid("aud"));
		}
		if (!app.clientId.equals(claims.get("iss")) || !app.clientId.equals(claims.get("sub"))) {
			throw new IdentityFailure(IdentityError.clientAssertionClaimsInvalid("iss"));
		}
		long exp = number(claims.get("exp"));
		long nbf = claims.containsKey("nbf") ? number(claims.get("nbf")) : 0;
		// Entra allows five minutes of clock skew.
		if (now.getEpochSecond() > exp + 300 || now.getEpochSecond() + 300 < nbf) {
			throw new IdentityFailure(IdentityError.clientAssertionOutsideValidity(now));
		}
	}

	private static boolean signatureValid(String algorithm, String[] parts, AppCertificate certificate) {
		String jca = switch (algorithm) {
			case "RS256" -> "SHA256withRSA";
			case "PS256" -> "RSASSA-PSS";
			default -> null;
		};
		if (jca == null) {
			return false;
		}
		try {
			Signature signature = Signature.getInstance(jca);
			if (algorithm.equals("PS256")) {
				signature.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
						java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
			}
			signature.initVerify(certificate.certificate().getPublicKey());
			signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
			return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static Map<?, ?> json(String part) throws IdentityFailure {
		try {
			return Json.mapper.readValue(Base64.getUrlDecoder().decode(part), Map.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new IdentityFailure(IdentityError.clientAssertionInvalidSignature());
		}
	}

	private static long number(Object value) throws IdentityFailure {
		if (value instanceof Number number) {
			return number.longValue();
		}
		throw new IdentityFailure(IdentityError.clientAssertionClaimsInvalid("exp"));
	}

	private static String hex(String sha1, String sha256) {
		String encoded = (sha1 != null) ? sha1 : sha256;
		try {
			return encoded == null ? "" : HexFormat.of().withUpperCase().formatHex(Base64.getUrlDecoder().decode(encoded));
		}
		catch (IllegalArgumentException ex) {
			return encoded;
		}
	}

}
