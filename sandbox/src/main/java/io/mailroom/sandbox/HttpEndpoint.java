package io.mailroom.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;

/**
 * One of the sandbox's HTTP servers: one handler for every path, each request on a virtual thread of its own
 * so that a slow reply (the latency scenarios) never holds up the others. It binds when created, so its port
 * is known before it starts.
 */
final class HttpEndpoint implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor;

	private HttpEndpoint(HttpServer server, String threadName, HttpHandler handler) {
		this.server = server;
		this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName, 0).factory());
		this.server.setExecutor(this.executor);
		this.server.createContext("/", handler);
	}

	/** HTTPS with the sandbox's certificate, as every endpoint it stands in for. */
	static HttpEndpoint https(InetAddress bindAddress, int port, SandboxTls tls, String threadName,
			HttpHandler handler) throws IOException {
		HttpsServer server = HttpsServer.create(new InetSocketAddress(bindAddress, port), 64);
		server.setHttpsConfigurator(tls.httpsConfigurator());
		return new HttpEndpoint(server, threadName, handler);
	}

	/** Plain HTTP, for the sandbox's own pages that stand in for nothing. */
	static HttpEndpoint http(InetAddress bindAddress, int port, String threadName, HttpHandler handler)
			throws IOException {
		return new HttpEndpoint(HttpServer.create(new InetSocketAddress(bindAddress, port), 16), threadName, handler);
	}

	void start() {
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	/** e.g. {@code https://localhost:49152}. */
	String httpsUrl(String hostName) {
		return "https://" + hostName + ":" + port();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
