package io.mailroom.sandbox;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link MicrosoftSandbox} is started. Start from {@link #defaults()} and change what a test needs
 * with the {@code with…} methods.
 *
 * @param hostName the name clients use to reach the sandbox, and the name its TLS certificate is issued
 * for ({@code localhost}; the certificate also covers 127.0.0.1 and ::1)
 * @param bindAddress where the servers listen (the loopback address)
 * @param identityPort HTTPS port of the identity platform; 0 picks a free port (0)
 * @param smtpPort SMTP submission port, STARTTLS like smtp.office365.com:587; 0 picks a free port (0)
 * @param controlPort plain-HTTP port of the control page and its JSON; 0 picks a free port (0)
 * @param accessTokenLifetime lifetime of issued access tokens; {@code null} draws a random 60–90 minutes for
 * each token as Microsoft does ({@code null})
 * @param authorizationCodeLifetime how long an authorization code can be redeemed (10 minutes)
 * @param refreshTokenMaxInactiveTime a refresh token not used for this long fails with AADSTS700082 (90 days)
 * @param clientSecretLifetime lifetime of client secrets made by {@link Directory#registerApp} (180 days, the
 * portal's recommended default)
 * @param smtpLimits Exchange Online's per-mailbox limits ({@link SmtpLimits#EXCHANGE_ONLINE})
 * @param smtpIdleTimeout an SMTP connection idle this long is closed with {@code 421} (10 minutes)
 * @param keepMessageContent whether the {@link Mailbox} keeps received messages or only counts them (true)
 * @param clock the time the sandbox runs on: token, code and secret expiry, rate windows (system UTC)
 * @param initialData fills the {@link Directory} before the servers accept connections (nothing)
 */
public record SandboxSettings(String hostName, InetAddress bindAddress, int identityPort, int smtpPort,
		int controlPort, Duration accessTokenLifetime, Duration authorizationCodeLifetime,
		Duration refreshTokenMaxInactiveTime, Duration clientSecretLifetime, SmtpLimits smtpLimits,
		Duration smtpIdleTimeout, boolean keepMessageContent, Clock clock, Consumer<Directory> initialData) {

	public SandboxSettings {
		Objects.requireNonNull(hostName, "hostName");
		Objects.requireNonNull(bindAddress, "bindAddress");
		Objects.requireNonNull(authorizationCodeLifetime, "authorizationCodeLifetime");
		Objects.requireNonNull(refreshTokenMaxInactiveTime, "refreshTokenMaxInactiveTime");
		Objects.requireNonNull(clientSecretLifetime, "clientSecretLifetime");
		Objects.requireNonNull(smtpLimits, "smtpLimits");
		Objects.requireNonNull(smtpIdleTimeout, "smtpIdleTimeout");
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(initialData, "initialData");
	}

	/** Random free ports on the loopback address, Microsoft's lifetimes and Exchange Online's limits. */
	public static SandboxSettings defaults() {
		return new SandboxSettings("localhost", InetAddress.getLoopbackAddress(), 0, 0, 0, null,
				Duration.ofMinutes(10), Duration.ofDays(90), Duration.ofDays(180), SmtpLimits.EXCHANGE_ONLINE,
				Duration.ofMinutes(10), true, Clock.systemUTC(), (directory) -> {
				});
	}

	public SandboxSettings withPorts(int identityPort, int smtpPort, int controlPort) {
		return new SandboxSettings(this.hostName, this.bindAddress, identityPort, smtpPort, controlPort,
				this.accessTokenLifetime, this.authorizationCodeLifetime, this.refreshTokenMaxInactiveTime,
				this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout, this.keepMessageContent, this.clock,
				this.initialData);
	}

	public SandboxSettings withHost(String hostName, InetAddress bindAddress) {
		return new SandboxSettings(hostName, bindAddress, this.identityPort, this.smtpPort, this.controlPort,
				this.accessTokenLifetime, this.authorizationCodeLifetime, this.refreshTokenMaxInactiveTime,
				this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout, this.keepMessageContent, this.clock,
				this.initialData);
	}

	/** A fixed access token lifetime instead of Microsoft's random 60–90 minutes. */
	public SandboxSettings withAccessTokenLifetime(Duration lifetime) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, lifetime, this.authorizationCodeLifetime, this.refreshTokenMaxInactiveTime,
				this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout, this.keepMessageContent, this.clock,
				this.initialData);
	}

	public SandboxSettings withAuthorizationCodeLifetime(Duration lifetime) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, lifetime, this.refreshTokenMaxInactiveTime,
				this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout, this.keepMessageContent, this.clock,
				this.initialData);
	}

	public SandboxSettings withRefreshTokenMaxInactiveTime(Duration inactiveTime) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime, inactiveTime,
				this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout, this.keepMessageContent, this.clock,
				this.initialData);
	}

	public SandboxSettings withClientSecretLifetime(Duration lifetime) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, lifetime, this.smtpLimits, this.smtpIdleTimeout,
				this.keepMessageContent, this.clock, this.initialData);
	}

	public SandboxSettings withSmtpLimits(SmtpLimits limits) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, this.clientSecretLifetime, limits, this.smtpIdleTimeout,
				this.keepMessageContent, this.clock, this.initialData);
	}

	public SandboxSettings withSmtpIdleTimeout(Duration timeout) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, this.clientSecretLifetime, this.smtpLimits, timeout,
				this.keepMessageContent, this.clock, this.initialData);
	}

	/** Whether received messages are kept (false: only counted, for benchmarks sending thousands). */
	public SandboxSettings withKeepMessageContent(boolean keep) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout,
				keep, this.clock, this.initialData);
	}

	public SandboxSettings withClock(Clock clock) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout,
				this.keepMessageContent, clock, this.initialData);
	}

	/** Tenants, apps and mailboxes to create before the sandbox accepts connections (the local run's data). */
	public SandboxSettings withInitialData(Consumer<Directory> initialData) {
		return new SandboxSettings(this.hostName, this.bindAddress, this.identityPort, this.smtpPort,
				this.controlPort, this.accessTokenLifetime, this.authorizationCodeLifetime,
				this.refreshTokenMaxInactiveTime, this.clientSecretLifetime, this.smtpLimits, this.smtpIdleTimeout,
				this.keepMessageContent, this.clock, initialData);
	}

}
