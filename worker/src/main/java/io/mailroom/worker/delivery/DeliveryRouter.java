package io.mailroom.worker.delivery;

import java.time.Clock;

import io.mailroom.contracts.SmtpReply;
import io.mailroom.core.services.SmtpService;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.services.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Picks the way each mail goes out: the service's {@link Transport}. SMTP goes to {@link SmtpDelivery},
 * Graph to {@link GraphDelivery}; SMTP with fallback tries SMTP and, when Exchange answers that SMTP AUTH
 * is disabled ({@code 535 5.7.139}), sends the same mail through Graph (nothing was handed over on SMTP, so
 * no duplicate is possible). How a mail went out when it was not plain SMTP is recorded for the result, the
 * delivery log and the status page. Graph keeps no sessions of its own: the mailbox's pool only counts SMTP
 * sessions, and the scheduler's per-mailbox concurrency (3 for Exchange) stays within Graph's 4 concurrent
 * requests per app and mailbox.
 *
 * <p>A second provider (Google's Gmail API) plugs in here: a transport value and its delivery class.
 */
@Component
public class DeliveryRouter implements Delivery {

	private static final Logger LOG = LoggerFactory.getLogger(DeliveryRouter.class);

	private final SmtpDelivery smtp;

	private final GraphDelivery graph;

	private final SmtpServices services;

	private final Handovers handovers;

	private final Clock clock;

	public DeliveryRouter(SmtpDelivery smtp, GraphDelivery graph, SmtpServices services, Handovers handovers,
			ObjectProvider<Clock> clock) {
		this.smtp = smtp;
		this.graph = graph;
		this.services = services;
		this.handovers = handovers;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@Override
	public MailboxConnections pool(String mailbox) {
		return smtp.pool(mailbox);
	}

	@Override
	public void closeIdle(MailboxConnections pool) {
		smtp.closeIdle(pool);
	}

	/** Sends one mail the service's way; never throws for what the far side does. */
	@Override
	public DeliveryOutcome send(SmtpService service, OutgoingMail mail, MailboxConnections pool, int maxSessions,
			Fence fence) {
		Transport transport = service.transport();
		if (transport == Transport.GRAPH) {
			return recorded(mail, graph.send(service, mail, fence));
		}
		DeliveryOutcome outcome = smtp.send(service, mail, pool, maxSessions, fence);
		if (transport == Transport.SMTP_WITH_GRAPH_FALLBACK && outcome instanceof DeliveryOutcome.Failed failed
				&& smtpAuthDisabled(failed.failure().smtpReply())) {
			SmtpReply refusal = failed.failure().smtpReply();
			LOG.info("SMTP AUTH is disabled for service {} ({} {}): sending request {} through Graph", service.id(),
					refusal.code(), refusal.enhancedCode(), mail.requestId());
			DeliveryOutcome viaGraph = graph.send(service, mail, fence);
			if (viaGraph instanceof DeliveryOutcome.Sent sent && sent.graph() != null) {
				services.recordFallback(service.id(), failed.failure().error(), clock.instant());
				return recorded(mail, new DeliveryOutcome.Sent(sent.messageId(), null,
						sent.graph().afterFallback(refusal.code() + " " + refusal.enhancedCode())));
			}
			return viaGraph;
		}
		return outcome;
	}

	/** {@code 535 5.7.139}: Exchange refuses SMTP AUTH for the tenant or mailbox; Graph is not affected. */
	static boolean smtpAuthDisabled(SmtpReply reply) {
		return reply != null && reply.code() == 535 && "5.7.139".equals(reply.enhancedCode());
	}

	private DeliveryOutcome recorded(OutgoingMail mail, DeliveryOutcome outcome) {
		if (outcome instanceof DeliveryOutcome.Sent sent && sent.graph() != null) {
			handovers.record(mail.requestId(), sent.graph(), clock.instant());
		}
		return outcome;
	}

}
