package io.mailroom.local;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.mailroom.contracts.MailroomJson;
import io.mailroom.contracts.Priority;
import io.mailroom.contracts.SendRequest;
import io.mailroom.contracts.SendResult;
import io.mailroom.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./run-local send --service <id> [--to <address>] [--subject <text>] [--count <n>] [--bulk]}: publishes
 * send requests on the local Kafka exactly as a product feature does (JSON, key = serviceId, a W3C
 * {@code traceparent} header), then prints each request's result from {@code mail.send-results}.
 */
final class SendCommand {

	private static final SecureRandom random = new SecureRandom();

	private SendCommand() {
	}

	/** Returns false, after printing the usage, when the arguments name no service. */
	static boolean run(List<String> args, PrintStream out) throws Exception {
		Map<String, String> options = options(args);
		if (!options.containsKey("service")) {
			out.println("""
					Usage: ./run-local send --service <serviceId> [--to <address>] [--subject <text>] [--count <n>] [--bulk]
					                        [--account <accountId>] [--bootstrap-servers <host:port>] [--wait <seconds>]
					Publishes send requests on mail.send-requests, as a product feature does, and prints their results.""");
			return false;
		}
		UUID serviceId = UUID.fromString(options.get("service"));
		String account = options.getOrDefault("account", LocalMailroom.DEMO_ACCOUNT);
		String to = options.getOrDefault("to", "it-admin@" + DemoMailbox.DEMO.domain());
		String subject = options.getOrDefault("subject", "Hello from a Mailroom producer");
		int count = Integer.parseInt(options.getOrDefault("count", "1"));
		Priority priority = options.containsKey("bulk") ? Priority.BULK : Priority.TRANSACTIONAL;
		String bootstrapServers = options.getOrDefault("bootstrap-servers", "localhost:9092");
		Duration wait = Duration.ofSeconds(Long.parseLong(options.getOrDefault("wait", "60")));

		try (KafkaConsumer<String, byte[]> results = resultsFromNow(bootstrapServers);
				KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG,
								"all", ProducerConfig.CLIENT_ID_CONFIG, "mailroom-local-send"),
						new StringSerializer(), new ByteArraySerializer())) {
			Set<UUID> waiting = new LinkedHashSet<>();
			for (int i = 1; i <= count; i++) {
				SendRequest request = SendRequest.builder(account, serviceId)
					.priority(priority)
					.to(to)
					.subject(count == 1 ? subject : subject + " (" + i + " of " + count + ")")
					.text("Sent by ./run-local send at " + Instant.now() + ".")
					.tag("feature", "run-local-send")
					.build();
				byte[] json = MailroomJson.mapper().writeValueAsBytes(request);
				ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.SEND_REQUESTS,
						serviceId.toString(), json);
				String traceparent = newTraceparent();
				record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
				producer.send(record).get();
				waiting.add(request.requestId());
				if (i == 1) {
					out.println("Published on " + Topics.SEND_REQUESTS + " (key " + serviceId + ", traceparent "
							+ traceparent + "):");
					out.println(new String(json, StandardCharsets.UTF_8));
				}
			}
			out.println(count + " request(s) published; waiting up to " + wait.toSeconds() + " s for results on "
					+ Topics.SEND_RESULTS + " …");
			awaitResults(results, waiting, wait, out);
		}
		return true;
	}

	private static void awaitResults(KafkaConsumer<String, byte[]> results, Set<UUID> waiting, Duration wait,
			PrintStream out) {
		Instant deadline = Instant.now().plus(wait);
		while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
			for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(500))) {
				SendResult result = MailroomJson.mapper().readValue(record.value(), SendResult.class);
				if (waiting.remove(result.requestId())) {
					var header = record.headers().lastHeader("traceparent");
					out.println(result.requestId() + " " + result.status()
							+ (result.error() == null ? "" : " " + result.error().code() + ": " + result.error().message())
							+ (header == null ? "" : " (traceparent " + new String(header.value(), StandardCharsets.US_ASCII) + ")"));
				}
			}
		}
		if (!waiting.isEmpty()) {
			out.println(waiting.size() + " request(s) have no result yet (held or waiting for a retry?); "
					+ "see the service's delivery log in the api.");
		}
	}

	/** A consumer positioned at the end of every partition of the results topic, before anything is sent. */
	private static KafkaConsumer<String, byte[]> resultsFromNow(String bootstrapServers) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrapServers, ConsumerConfig.CLIENT_ID_CONFIG, "mailroom-local-send-results",
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
				new ByteArrayDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		consumer.partitionsFor(Topics.SEND_RESULTS)
			.forEach(partition -> partitions.add(new TopicPartition(partition.topic(), partition.partition())));
		consumer.assign(partitions);
		consumer.seekToEnd(partitions);
		partitions.forEach(consumer::position);
		return consumer;
	}

	/** W3C Trace Context: version 00, a random trace id and parent id, sampled. */
	private static String newTraceparent() {
		byte[] trace = new byte[16];
		byte[] parent = new byte[8];
		random.nextBytes(trace);
		random.nextBytes(parent);
		return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(parent) + "-01";
	}

	private static Map<String, String> options(List<String> args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i < args.size(); i++) {
			String name = args.get(i);
			if (!name.startsWith("--")) {
				throw new IllegalArgumentException("Unexpected argument " + name);
			}
			boolean flag = i + 1 >= args.size() || args.get(i + 1).startsWith("--");
			options.put(name.substring(2), flag ? "" : args.get(++i));
		}
		return options;
	}

}
