package io.mailroom.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.mailroom.contracts.SendRequest;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.GrantType;
import io.mailroom.sandbox.SandboxStats;

/**
 * Token endpoint calls for many sends across many authorized services, counted by the sandbox from the
 * moment the authorizations are done. Two rounds, each with a fresh worker: as authorized (the stored
 * caches hold access tokens, as they do within the hour after an admin authorized), and with every access
 * token expired (each service needs one refresh: three connections racing for it must share it).
 */
final class TokenScenario {

	private final Infrastructure infrastructure;

	private final EndToEnd endToEnd;

	private final WorkerFactory workers;

	TokenScenario(Infrastructure infrastructure, EndToEnd endToEnd, WorkerFactory workers) {
		this.infrastructure = infrastructure;
		this.endToEnd = endToEnd;
		this.workers = workers;
	}

	Result run(int serviceCount, int sends) {
		Benchmark.progress("tokens: authorizing " + serviceCount + " services in the sandbox");
		List<SmtpService> services = new ArrayList<>(serviceCount);
		for (int i = 0; i < serviceCount; i++) {
			services.add(infrastructure.authorizedService("acct-tokens-" + i));
		}
		Benchmark.progress("tokens: " + sends + " sends across them, tokens as authorized");
		Round asAuthorized = round("tokens", services, sends);
		services.forEach(infrastructure::expireAccessTokens);
		Benchmark.progress("tokens: " + sends + " sends across them, every access token expired");
		Round expired = round("tokens-expired", services, sends);
		return new Result(serviceCount, sends, asAuthorized, expired);
	}

	private Round round(String name, List<SmtpService> services, int sends) {
		List<SendRequest> mails = new ArrayList<>(sends);
		for (int i = 0; i < sends; i++) {
			mails.add(Mails.passwordReset(services.get(i % services.size()), i));
		}
		SandboxStats stats = infrastructure.sandbox.stats();
		stats.reset();
		try (WorkerProcess worker = workers.start(name)) {
			EndToEnd.Run run = endToEnd.burst(mails, Duration.ofMinutes(5).plusMillis(sends * 20L));
			Map<GrantType, Long> calls = new EnumMap<>(GrantType.class);
			for (GrantType grant : GrantType.values()) {
				calls.put(grant, stats.tokenRequests(grant));
			}
			return new Round(run, stats.tokenRequests(), calls, stats.smtpSessions());
		}
	}

	/**
	 * @param tokenCalls token endpoint requests during the round, worker start included
	 * @param smtpSessions SMTP connections the worker opened
	 */
	record Round(EndToEnd.Run run, long tokenCalls, Map<GrantType, Long> callsByGrant, long smtpSessions) {
	}

	record Result(int services, int sends, Round asAuthorized, Round expired) {

		/** The target: at most one token endpoint call per service. */
		long allowedCalls() {
			return services;
		}

	}

}
