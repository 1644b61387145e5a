package io.mailroom.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that tests and the local run start on this machine. They are taken below Linux's
 * ephemeral range (32768 and up), where outgoing connections get their ports: a port found free there can
 * be handed to a client socket (a Kafka or JDBC connection) before the server binds it.
 */
public final class FreePorts {

	private static final int FIRST = 20_000;

	private static final int LAST = 32_000;

	private FreePorts() {
	}

	/** A port no server on this machine listens on right now. */
	public static int take() {
		for (int tries = 0; tries < 200; tries++) {
			int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
				return port;
			}
			catch (IOException taken) {
				// try another
			}
		}
		throw new IllegalStateException("No free port between " + FIRST + " and " + LAST);
	}

}
