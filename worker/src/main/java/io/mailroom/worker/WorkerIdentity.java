package io.mailroom.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This worker process's name in leases and claims: host, process id and a random suffix, so a restarted
 * process never mistakes its predecessor's claims for its own.
 */
@Component
public class WorkerIdentity {

	private final String id;

	public WorkerIdentity() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		this.id = host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
	}

	public String id() {
		return id;
	}

}
