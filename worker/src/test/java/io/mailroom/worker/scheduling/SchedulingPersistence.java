package io.mailroom.worker.scheduling;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.mailroom.core.events.ServiceEvents;
import io.mailroom.core.services.ServiceStatusChanges;
import io.mailroom.core.services.SmtpServices;
import io.mailroom.core.tracing.TraceContexts;
import io.mailroom.testing.TestKafka;
import io.mailroom.testing.TestPostgres;
import io.mailroom.worker.queue.Deadlines;
import io.mailroom.worker.queue.DeliveryQueue;
import io.mailroom.worker.queue.MailboxLeases;
import io.mailroom.worker.results.ResultPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;

import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The persistence scheduling uses in production (queue, leases, services, status changes, results), in a
 * small context of its own on a fresh database: real transactions, real PostgreSQL and Kafka, no worker.
 * Deliberately not a {@code @Configuration}: the worker's application scans this package, and must never
 * pick these beans up.
 */
@EnableTransactionManagement
class SchedulingPersistence {

@Bean
	DataSource dataSource() {
		DataSource database = TestPostgres.dataSource(TestPostgres.newDatabase());
		Flyway.configure().dataSource(database).load().migrate();
		return database;
	}

	@Bean
	PlatformTransactionManager transactionManager(DataSource dataSource) {
		return new DataSourceTransactionManager(dataSource);
	}

	@Bean
	JdbcClient jdbcClient(DataSource dataSource) {
		return JdbcClient.create(dataSource);
	}

	@Bean
	DeliveryQueue deliveryQueue(DataSource dataSource, JdbcClient jdbc) {
		return new DeliveryQueue(new JdbcTemplate(dataSource), jdbc,
				new Deadlines(Duration.ofHours(6), Duration.ofHours(24), Duration.ofHours(24)));
	}

	@Bean
	MailboxLeases mailboxLeases(JdbcClient jdbc) {
		return new MailboxLeases(jdbc);
	}

	@Bean
	SmtpServices smtpServices(JdbcClient jdbc) {
		return new SmtpServices(jdbc);
	}

	@Bean
	KafkaTemplate<String, byte[]> kafka() {
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer()));
	}

	@Bean
	ServiceStatusChanges statusChanges(SmtpServices services, KafkaTemplate<String, byte[]> kafka) {
		return new ServiceStatusChanges(services, new ServiceEvents(kafka));
	}

	@Bean
	ResultPublisher results(KafkaTemplate<String, byte[]> kafka, DeliveryQueue queue) {
		return new ResultPublisher(kafka, queue, new SimpleMeterRegistry(),
				new TraceContexts(Tracer.NOOP, Propagator.NOOP));
	}

}
