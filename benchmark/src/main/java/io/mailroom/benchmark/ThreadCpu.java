package io.mailroom.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads grouped by name, from {@code /proc/<pid>/task}: tells the worker's
 * virtual threads (mailbox runtimes: claims and sends) from its intake consumers, outcome writer, Kafka I/O threads,
 * garbage collector and JIT compilers. Names are the kernel's (15 characters), pool numbers removed.
 */
record ThreadCpu(Map<String, Long> ticksByGroup) {

	static ThreadCpu of(long pid) {
		Map<String, Long> ticks = new HashMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
			tasks.forEach(task -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					// the name is in parentheses and may contain spaces: fields count from the last ')'
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
					ticks.merge(group(Files.readString(task.resolve("comm")).strip()), used, Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			});
		}
		catch (IOException ex) {
			// not Linux, or the process is gone: nothing to report
		}
		return new ThreadCpu(ticks);
	}

	/** Seconds each group used since {@code before}, largest first. Threads that ended meanwhile are missed. */
	Map<String, Double> secondsSince(ThreadCpu before) {
		Map<String, Double> seconds = new LinkedHashMap<>();
		ticksByGroup.entrySet()
			.stream()
			.map(e -> Map.entry(e.getKey(), (e.getValue() - before.ticksByGroup.getOrDefault(e.getKey(), 0L)) / 100.0))
			.filter(e -> e.getValue() > 0)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.forEach(e -> seconds.put(e.getKey(), e.getValue()));
		return seconds;
	}

	/** Threads of one kind together: pool members, the garbage collector's threads, the JIT compilers. */
	private static String group(String name) {
		if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
			return "GC";
		}
		if (name.contains("CompilerThre")) {
			return "JIT";
		}
		if (name.startsWith("ForkJoinPool")) {
			return "virtual threads";
		}
		return name.replaceAll("(?<=[-#])[0-9]+", "n");
	}

}
