package io.mailroom.core.database;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that is unavailable from data it refuses. Retrying helps against the first (the
 * connection is refused, a statement times out, the server shuts down, a lock or serialization conflict)
 * and never against the second (PostgreSQL refuses the same row the same way every time): code that
 * stores what others sent retries the first and sets the refused data aside.
 *
 * <p>When in doubt the answer is "unavailable": setting valid data aside because of an outage is worse
 * than retrying a refusal a while longer.
 */
public final class DatabaseErrors {

	/**
	 * SQLSTATE classes that say nothing about the data: 08 connection exception, 40 transaction rollback
	 * (serialization failure, deadlock), 53 insufficient resources, 57 operator intervention (shutdown,
	 * cancelled statement), 58 system error, XX internal error.
	 */
	private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "40", "53", "57", "58", "XX");

	/** 55P03: lock not available, 55006: object in use. */
	private static final Set<String> UNAVAILABLE_STATES = Set.of("55P03", "55006");

	private DatabaseErrors() {
	}

	/**
	 * Whether {@code failure} (or anything in its cause chain) says the database cannot be used right now.
	 * The server's SQLSTATE decides where there is one: Spring files some data errors under resource failures
	 * (54000, an index row too large, becomes a {@code DataAccessResourceFailureException}). A transaction that
	 * could not begin, commit or roll back is unavailability too: its connection failed, whatever the data.
	 */
	public static boolean isUnavailable(Throwable failure) {
		String state = sqlState(failure);
		if (state != null && state.length() == 5) {
			return UNAVAILABLE_CLASSES.contains(state.substring(0, 2)) || UNAVAILABLE_STATES.contains(state);
		}
		return chain(failure).stream()
			.anyMatch(t -> t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
					|| t instanceof DataAccessResourceFailureException || t instanceof TransactionException
					|| t instanceof SQLTransientException || t instanceof SQLRecoverableException
					|| t instanceof SQLNonTransientConnectionException || t instanceof IOException
					|| t instanceof TimeoutException);
	}

	/** The SQLSTATE of the first {@link SQLException} in the cause chain that has one, or null. */
	public static String sqlState(Throwable failure) {
		return chain(failure).stream()
			.filter(SQLException.class::isInstance)
			.map(t -> ((SQLException) t).getSQLState())
			.filter(state -> state != null)
			.findFirst()
			.orElse(null);
	}

	/**
	 * One line for a log: the server's SQLSTATE and the first line of its message where there is one (a
	 * deadlock, a refused value), the innermost cause otherwise. Spring's exceptions repeat the whole statement
	 * before the cause, which buries the reason under dozens of lines of SQL.
	 */
	public static String summary(Throwable failure) {
		List<Throwable> chain = chain(failure);
		Throwable reason = chain.stream()
			.filter(t -> t instanceof SQLException sql && sql.getSQLState() != null)
			.findFirst()
			.orElse(chain.getLast());
		String message = String.valueOf(reason.getMessage()).lines().findFirst().orElse("").strip();
		return reason instanceof SQLException sql
				? "SQLSTATE " + sql.getSQLState() + ": " + message
				: reason.getClass().getSimpleName() + ": " + message;
	}

	private static List<Throwable> chain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = failure; t != null && seen.add(t) && chain.size() < 32; t = t.getCause()) {
			chain.add(t);
			if (t instanceof SQLException sql && sql.getNextException() != null && seen.add(sql.getNextException())) {
				// a batch's own exception only says "batch entry n was aborted": the server's reason is next
				chain.add(sql.getNextException());
			}
			if (t instanceof TransactionSystemException tx && tx.getApplicationException() != null
					&& seen.add(tx.getApplicationException())) {
				// a failed rollback hides what made the transaction roll back (a server that went away, say):
				// its SQLSTATE is the one that tells
				chain.addAll(chain(tx.getApplicationException()));
			}
		}
		return chain;
	}

}
