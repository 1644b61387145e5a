package io.mailroom.api.services;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.services.MicrosoftOAuth2;
import io.mailroom.core.services.ServiceStatus;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Whether a service can send, and how its sending went lately.
 *
 * @param status NOT_AUTHORIZED (authorize it), AUTHORIZED (ready), NEEDS_REAUTHORIZATION (the provider no longer
 *     honours the grant; mail is held), CONFIGURATION_ERROR (the service, app or mailbox is set up wrongly;
 *     mail is held)
 * @param statusReason why the service is not AUTHORIZED, with code, hint and link
 * @param authorizedAccount the Microsoft or Google account that authorized it
 * @param lastFailure the error of the last failed delivery
 * @param heldMail mail waiting until the service is authorized again or fixed
 * @param warnings things to act on before they stop the service, e.g. a client secret about to expire
 * @param lastFallback when mail last went through Graph because Exchange refused SMTP AUTH, and the refusal
 */
@Schema(name = "SmtpServiceStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
record StatusView(ServiceStatus status, ErrorDetails statusReason, Instant statusChangedAt, Instant authorizedAt,
		String authorizedAccount, Instant lastSuccessAt, Instant lastFailureAt, ErrorDetails lastFailure,
		long heldMail, LocalDate clientSecretExpiresOn, List<Warning> warnings, Fallback lastFallback) {

	static StatusView of(SmtpService service, long heldMail, Instant now, Duration secretExpiryWarning,
			SmtpServices.Fallback fallback) {
		List<Warning> warnings = new ArrayList<>();
		LocalDate expiresOn = null;
		if (service.authentication() instanceof MicrosoftOAuth2 oauth2) {
			expiresOn = oauth2.clientSecretExpiresOn();
			LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
			if (expiresOn != null && !expiresOn.isAfter(today)) {
				warnings.add(new Warning("CLIENT_SECRET_EXPIRED", "The client secret expired on " + expiresOn
						+ ", so Microsoft refuses it (AADSTS7000222): create a new secret under the app registration's "
						+ "Certificates & secrets and update the service with its Value."));
			}
			else if (expiresOn != null && !expiresOn.isAfter(today.plusDays(secretExpiryWarning.toDays()))) {
				warnings.add(new Warning("CLIENT_SECRET_EXPIRES_SOON", "The client secret expires on " + expiresOn
						+ " (in " + ChronoUnit.DAYS.between(today, expiresOn) + " days): create a new secret under "
						+ "the app registration's Certificates & secrets and update the service with its Value before "
						+ "then, or sending stops with AADSTS7000222."));
			}
			if (oauth2.certificate() != null) {
				certificateWarning(warnings, oauth2.certificate().notAfter(), oauth2.certificate().thumbprint(), now,
						secretExpiryWarning);
			}
			if (!oauth2.loginEmail().equalsIgnoreCase(service.fromAddress())) {
				warnings.add(new Warning("FROM_DIFFERS_FROM_LOGIN", "The From address " + service.fromAddress()
						+ " is not the login email " + oauth2.loginEmail() + ": the login mailbox needs Send As "
						+ "permission on it in Exchange, or every mail fails with 5.7.60 or SendAsDenied."));
			}
		}
		return new StatusView(service.status(), service.statusReason(), service.statusChangedAt(),
				service.authorizedAt(), service.authorizedAccount(), service.lastSuccessAt(), service.lastFailureAt(),
				service.lastFailure(), heldMail, expiresOn, warnings.isEmpty() ? null : List.copyOf(warnings),
				fallback == null ? null : new Fallback(fallback.at(), fallback.reason()));
	}

	private static void certificateWarning(List<Warning> warnings, Instant notAfter, String thumbprint, Instant now,
			Duration warning) {
		if (!notAfter.isAfter(now)) {
			warnings.add(new Warning("CERTIFICATE_EXPIRED", "The certificate " + thumbprint + " expired on " + notAfter
					+ ", so Microsoft refuses it (AADSTS700027): make a new one, upload it to the app registration's "
					+ "Certificates & secrets and update the service with it."));
		}
		else if (!notAfter.isAfter(now.plus(warning))) {
			warnings.add(new Warning("CERTIFICATE_EXPIRES_SOON", "The certificate " + thumbprint + " expires on "
					+ notAfter + " (in " + ChronoUnit.DAYS.between(now, notAfter) + " days): make a new one, upload it "
					+ "to the app registration and update the service with it before then."));
		}
	}

	/** Mail went through Graph because SMTP AUTH was refused: when last, and Exchange's refusal. */
	@Schema(name = "TransportFallback")
	record Fallback(Instant at, ErrorDetails reason) {
	}

	/** Something to act on: a stable code and what to do, in words. */
	@Schema(name = "ServiceWarning")
	record Warning(String code, String message) {
	}

}
