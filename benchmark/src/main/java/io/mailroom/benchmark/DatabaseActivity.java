package io.mailroom.benchmark;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What Mailroom's database did so far: transactions committed, rows written (HOT updates among them: an
 * update that touches no indexed column and fits its page writes no index entry), WAL written, scans of each
 * index, and statements where {@code pg_stat_statements} is loaded. Two snapshots give the work per mail,
 * which is what PostgreSQL's CPU time is spent on.
 * @param statements statements executed, or -1 where {@code pg_stat_statements} is not loaded
 * @param indexScans scans of each of Mailroom's indexes
 */
record DatabaseActivity(long commits, long inserted, long updated, long hotUpdated, long deleted, long walBytes,
		long statements, Map<String, Long> indexScans) {

	static DatabaseActivity take(JdbcClient jdbc) {
		DatabaseActivity database = jdbc.sql("""
				select xact_commit, tup_inserted, tup_updated, tup_deleted, pg_current_wal_lsn()::text as wal,
				  (select coalesce(sum(n_tup_hot_upd), 0) from pg_stat_user_tables) as hot
				from pg_stat_database where datname = current_database()""")
			.query((rs, n) -> new DatabaseActivity(rs.getLong("xact_commit"), rs.getLong("tup_inserted"),
					rs.getLong("tup_updated"), rs.getLong("hot"), rs.getLong("tup_deleted"), lsn(rs.getString("wal")), -1,
					Map.of()))
			.single();
		Map<String, Long> scans = new HashMap<>();
		jdbc.sql("select indexrelname, idx_scan from pg_stat_user_indexes")
			.query((rs, n) -> scans.put(rs.getString(1), rs.getLong(2)))
			.list();
		return new DatabaseActivity(database.commits, database.inserted, database.updated, database.hotUpdated,
				database.deleted, database.walBytes, statements(jdbc), Map.copyOf(scans));
	}

	private static long statements(JdbcClient jdbc) {
		try {
			return jdbc.sql("select coalesce(sum(calls), 0) from pg_stat_statements s join pg_database d on d.oid = s.dbid"
					+ " where d.datname = current_database()").query(Long.class).single();
		}
		catch (RuntimeException ex) {
			return -1; // not loaded (shared_preload_libraries): the embedded server's default
		}
	}

	/** The activity since {@code before}. */
	DatabaseActivity since(DatabaseActivity before) {
		Map<String, Long> scans = new HashMap<>();
		indexScans.forEach((index, n) -> scans.put(index, n - before.indexScans.getOrDefault(index, 0L)));
		return new DatabaseActivity(commits - before.commits, inserted - before.inserted, updated - before.updated,
				hotUpdated - before.hotUpdated, deleted - before.deleted, walBytes - before.walBytes,
				statements < 0 || before.statements < 0 ? -1 : statements - before.statements, scans);
	}

	/** Scans of each index per mail, most used first; unused indexes too (their upkeep is the cost). */
	String indexScansPerMail(int mails) {
		return indexScans.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / (double) mails))
			.collect(Collectors.joining(", "));
	}

	/** A WAL position ({@code 16/B374D848}) as a byte offset. */
	private static long lsn(String text) {
		int slash = text.indexOf('/');
		return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
	}

}
