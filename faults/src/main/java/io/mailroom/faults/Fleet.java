package io.mailroom.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.mailroom.core.sandbox.TestMicrosoft;
import io.mailroom.core.services.SmtpService;
import io.mailroom.sandbox.AppRegistration;
import io.mailroom.sandbox.Directory;
import io.mailroom.sandbox.Tenant;

/**
 * One scenario's senders: two tenants of the stand-in, A and B, each a customer with its own Mailroom
 * account and app registration, and their mailboxes; every mailbox has a Mailroom service, and the first
 * mailboxes of each tenant (one by default) have two (two services that log in as the same mailbox, as when a
 * customer sets up one mailbox for two products). Fresh for every scenario, so a scenario's figures are its own.
 */
record Fleet(String scenario, Tenant tenantA, Tenant tenantB, List<Sender> senders) {

	/** A service and the mailbox it logs in as. */
	record Sender(UUID serviceId, String accountId, char tenant, String mailbox) {
	}

	Fleet {
		senders = List.copyOf(senders);
	}

	/** Creates the tenants, apps and mailboxes in the stand-in and the services, authorized, in Mailroom. */
	static Fleet create(Stage stage, String scenario, int mailboxes, int shared) {
		Directory directory = stage.sandbox.directory();
		String suffix = UUID.randomUUID().toString().substring(0, 6);
		List<Sender> senders = new ArrayList<>();
		Tenant a = tenant(stage, directory, scenario + "-a-" + suffix, Stage.ACCOUNT_A, 'A', mailboxes / 2, shared,
				senders);
		Tenant b = tenant(stage, directory, scenario + "-b-" + suffix, Stage.ACCOUNT_B, 'B', mailboxes / 2, shared,
				senders);
		return new Fleet(scenario, a, b, senders);
	}

	private static Tenant tenant(Stage stage, Directory directory, String name, String accountId, char letter,
			int mailboxes, int shared, List<Sender> senders) {
		Tenant tenant = directory.createTenant(name + ".example");
		AppRegistration app = directory.registerApp(tenant, false, TestMicrosoft.REDIRECT_URI, stage.callbackUrl());
		for (int i = 1; i <= mailboxes; i++) {
			String upn = "sender-" + i + "@" + tenant.domain();
			directory.createUser(tenant, upn);
			TestMicrosoft.Mailbox mailbox = new TestMicrosoft.Mailbox(tenant, app, upn);
			for (int services = (i <= shared) ? 2 : 1; services > 0; services--) {
				SmtpService service = stage.authorizedService(accountId, mailbox);
				senders.add(new Sender(service.id(), accountId, letter, upn));
			}
		}
		return tenant;
	}

	/** The senders grouped by mailbox, mailboxes in the order A1, B1, A2, B2, … so that tenants interleave. */
	Map<String, List<Sender>> byMailbox() {
		Map<String, List<Sender>> a = new LinkedHashMap<>();
		Map<String, List<Sender>> b = new LinkedHashMap<>();
		for (Sender sender : senders) {
			(sender.tenant() == 'A' ? a : b).computeIfAbsent(sender.mailbox(), m -> new ArrayList<>()).add(sender);
		}
		Map<String, List<Sender>> interleaved = new LinkedHashMap<>();
		List<String> aMailboxes = List.copyOf(a.keySet());
		List<String> bMailboxes = List.copyOf(b.keySet());
		for (int i = 0; i < Math.max(aMailboxes.size(), bMailboxes.size()); i++) {
			if (i < aMailboxes.size()) {
				interleaved.put(aMailboxes.get(i), a.get(aMailboxes.get(i)));
			}
			if (i < bMailboxes.size()) {
				interleaved.put(bMailboxes.get(i), b.get(bMailboxes.get(i)));
			}
		}
		return interleaved;
	}

	List<String> mailboxes() {
		return List.copyOf(byMailbox().keySet());
	}

	Sender sender(UUID serviceId) {
		return senders.stream()
			.filter(s -> s.serviceId().equals(serviceId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No sender " + serviceId));
	}

	/** A tenant's mailboxes in the order they were made: the shared ones first. */
	List<String> mailboxes(char tenant) {
		return senders.stream().filter(s -> s.tenant() == tenant).map(Sender::mailbox).distinct().toList();
	}

	/** Senders whose mailbox no other sender shares, of one tenant. */
	List<Sender> soleSenders(char tenant) {
		Map<String, List<Sender>> byMailbox = byMailbox();
		return senders.stream()
			.filter(s -> s.tenant() == tenant && byMailbox.get(s.mailbox()).size() == 1)
			.toList();
	}

}
