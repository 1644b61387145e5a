package io.mailroom.sandbox;

import java.io.IOException;

import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * RSET, NOOP and QUIT, which take no arguments and do the same for every provider; only the reply is the
 * provider's own, so it is given as an action (Gmail's replies carry a fresh session tag each time).
 */
final class SimpleCommand extends BaseCommand {

	@FunctionalInterface
	interface Reply {

		void send(Session session) throws IOException;

	}

	private final Reply action;

	private SimpleCommand(String verb, String help, Reply action) {
		super(verb, help);
		this.action = action;
	}

	static SimpleCommand rset(Reply reply) {
		return new SimpleCommand("RSET", "Resets the transaction.", (session) -> {
			session.resetMailTransaction();
			reply.send(session);
		});
	}

	static SimpleCommand noop(Reply reply) {
		return new SimpleCommand("NOOP", "Does nothing.", reply);
	}

	static SimpleCommand quit(Reply reply) {
		return new SimpleCommand("QUIT", "Ends the session.", (session) -> {
			reply.send(session);
			session.quit();
		});
	}

	@Override
	public void execute(String command, Session session) throws IOException {
		this.action.send(session);
	}

}
