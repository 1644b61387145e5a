package io.mailroom.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The test JVM's DNS for names a test registers ({@link #answer}), so tests can have a host name resolve to
 * an internal address, or change its answer between two lookups, without a DNS server. Every other name goes
 * to the JDK's own resolver. Registered as the JVM's resolver provider through {@code META-INF/services};
 * answers change visibly only where the JVM does not cache lookups ({@code -Dsun.net.inetaddr.ttl=0}).
 */
public final class TestDns extends InetAddressResolverProvider {

	private static final Map<String, List<InetAddress>> ANSWERS = new ConcurrentHashMap<>();

	/** From now on {@code name} resolves to {@code addresses} (IP literals). */
	public static void answer(String name, String... addresses) {
		ANSWERS.put(name.toLowerCase(java.util.Locale.ROOT), Stream.of(addresses).map(TestDns::literal).toList());
	}

	/** {@code name} goes back to the JDK's resolver. */
	public static void forget(String name) {
		ANSWERS.remove(name.toLowerCase(java.util.Locale.ROOT));
	}

	@Override
	public InetAddressResolver get(Configuration configuration) {
		InetAddressResolver builtin = configuration.builtinResolver();
		return new InetAddressResolver() {

			@Override
			public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
				List<InetAddress> answer = ANSWERS.get(host.toLowerCase(java.util.Locale.ROOT));
				if (answer == null) {
					return builtin.lookupByName(host, policy);
				}
				return answer.stream().map(address -> withName(host, address));
			}

			@Override
			public String lookupByAddress(byte[] address) throws UnknownHostException {
				return builtin.lookupByAddress(address);
			}

		};
	}

	@Override
	public String name() {
		return "mailroom-test-dns";
	}

	private static InetAddress literal(String address) {
		InetAddress parsed = AddressBlock.literal(address);
		if (parsed == null) {
			throw new IllegalArgumentException(address + " is not an IP address");
		}
		return parsed;
	}

	private static InetAddress withName(String host, InetAddress address) {
		try {
			return InetAddress.getByAddress(host, address.getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
