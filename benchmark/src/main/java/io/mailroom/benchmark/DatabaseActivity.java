package io.mailroom.benchmark;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What Mailroom's database did so far: transactions committed, rows written, WAL written. Two snapshots
 * give the work per mail, which is what PostgreSQL's CPU time is spent on.
 */
record DatabaseActivity(long commits, long inserted, long updated, long deleted, long walBytes) {

	static DatabaseActivity take(JdbcClient jdbc) {
		return jdbc.sql("""
				select xact_commit, tup_inserted, tup_updated, tup_deleted, pg_current_wal_lsn()::text as wal
				from pg_stat_database where datname = current_database()""")
			.query((rs, n) -> new DatabaseActivity(rs.getLong("xact_commit"), rs.getLong("tup_inserted"),
					rs.getLong("tup_updated"), rs.getLong("tup_deleted"), lsn(rs.getString("wal"))))
			.single();
	}

	/** The activity since {@code before}. */
	DatabaseActivity since(DatabaseActivity before) {
		return new DatabaseActivity(commits - before.commits, inserted - before.inserted, updated - before.updated,
				deleted - before.deleted, walBytes - before.walBytes);
	}

	/** A WAL position ({@code 16/B374D848}) as a byte offset. */
	private static long lsn(String text) {
		int slash = text.indexOf('/');
		return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
	}

}
