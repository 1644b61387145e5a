package io.mailroom.benchmark;

/** Starts a worker process with this run's settings; {@code name} names its log file. */
@FunctionalInterface
interface WorkerFactory {

	WorkerProcess start(String name);

}
