package io.mailroom.worker.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.mailroom.core.database.DatabaseErrors;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.NewDelivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Stores a poll's deliveries in one statement batch, and when PostgreSQL refuses the batch for anything but
 * being unavailable, narrows the refusal down by halves to the deliveries at fault, storing the rest.
 * k refused deliveries among n cost about 2·k·log₂(n) more statements; a clean batch costs one.
 */
final class BatchStore {

	private final DeliveryQueue queue;

	BatchStore(DeliveryQueue queue) {
		this.queue = queue;
	}

	/** A delivery and the record it came from. */
	record Entry(ConsumerRecord<String, byte[]> source, NewDelivery delivery) {
	}

	/** A delivery PostgreSQL refused on its own, and why. */
	record Refusal(Entry entry, RuntimeException cause) {
	}

	/**
	 * Stores the entries idempotently (a requestId stored before is skipped).
	 * @param refused collects the entries PostgreSQL refused, each on its own
	 * @return the deliveries that were new
	 * @throws RuntimeException when the database is unavailable: then the whole batch must be retried
	 */
	List<NewDelivery> store(List<Entry> entries, Instant now, List<Refusal> refused) {
		if (entries.isEmpty()) {
			return List.of();
		}
		try {
			return queue.insert(entries.stream().map(Entry::delivery).toList(), now);
		}
		catch (RuntimeException ex) {
			if (DatabaseErrors.isUnavailable(ex)) {
				throw ex;
			}
			if (entries.size() == 1) {
				refused.add(new Refusal(entries.getFirst(), ex));
				return List.of();
			}
			int half = entries.size() / 2;
			List<NewDelivery> stored = new ArrayList<>(store(entries.subList(0, half), now, refused));
			stored.addAll(store(entries.subList(half, entries.size()), now, refused));
			return stored;
		}
	}

}
