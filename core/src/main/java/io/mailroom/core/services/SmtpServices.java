package io.mailroom.core.services;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.mailroom.contracts.ErrorDetails;
import io.mailroom.core.secrets.SealedSecret;

import static io.mailroom.core.database.SqlValues.fromJson;
import static io.mailroom.core.database.SqlValues.instant;
import static io.mailroom.core.database.SqlValues.json;
import static io.mailroom.core.database.SqlValues.timestamptz;
import static io.mailroom.core.database.SqlValues.timestamptzText;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The stored SMTP services. Deleted services are invisible to every finder. */
@Repository
public class SmtpServices {

	private static final String COLUMNS = """
			id, account_id, name, host, port, from_address, from_name, reply_to, auth_type, username, password,
			provider, login_email, client_id, client_secret, tenant_id, client_secret_expires_on,
			secret_changed_at, status, status_reason::text as status_reason, status_changed_at, authorized_at,
			authorized_account, rate_limit_per_minute, max_connections, max_message_bytes, last_success_at,
			last_failure_at, last_failure::text as last_failure, created_at, updated_at, version, access, transport,
			client_certificate_key, client_certificate, client_certificate_thumbprint, client_certificate_expires_at,
			last_fallback_at, last_fallback::text as last_fallback, service_account_key, service_account_email,
			service_account_client_id, daily_limit""";

	private final JdbcClient jdbc;

	public SmtpServices(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A service that is not deleted, whoever owns it (for the worker, which checks ownership itself). */
	public Optional<SmtpService> find(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from smtp_service where id = ? and deleted_at is null")
			.param(id)
			.query(SmtpServices::map)
			.optional();
	}

	/** A service of {@code accountId}; another account's service is as absent as a missing one. */
	public Optional<SmtpService> findOwned(String accountId, UUID id) {
		return jdbc
			.sql("select " + COLUMNS
					+ " from smtp_service where id = ? and account_id = ? and deleted_at is null")
			.param(id)
			.param(accountId)
			.query(SmtpServices::map)
			.optional();
	}

	/** The active services among {@code ids}, by id. */
	public java.util.Map<UUID, SmtpService> findAll(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return java.util.Map.of();
		}
		return jdbc.sql("select " + COLUMNS + " from smtp_service where id = any(?) and deleted_at is null")
			.param(ids.toArray(UUID[]::new))
			.query(SmtpServices::map)
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(SmtpService::id, service -> service));
	}

	/** The active services that send as a mailbox (see {@link SmtpService#mailbox()}). */
	public List<SmtpService> findByMailbox(String mailbox) {
		return jdbc.sql("select " + COLUMNS + " from smtp_service where mailbox = ? and deleted_at is null")
			.param(mailbox)
			.query(SmtpServices::map)
			.list();
	}

	/** The ids among {@code ids} that were deleted. */
	public List<UUID> deletedAmong(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select id from smtp_service where id = any(?) and deleted_at is not null")
			.param(ids.toArray(UUID[]::new))
			.query(UUID.class)
			.list();
	}

	public List<SmtpService> list(String accountId) {
		return jdbc
			.sql("select " + COLUMNS
					+ " from smtp_service where account_id = ? and deleted_at is null order by created_at, id")
			.param(accountId)
			.query(SmtpServices::map)
			.list();
	}

	/** Services whose status is one of {@code statuses}, for periodic work such as silent refreshes. */
	public List<SmtpService> withStatus(ServiceStatus status) {
		return jdbc.sql("select " + COLUMNS + " from smtp_service where status = ? and deleted_at is null")
			.param(status.name())
			.query(SmtpServices::map)
			.list();
	}

	public void insert(SmtpService service) {
		jdbc.sql("""
				insert into smtp_service (id, account_id, name, host, port, from_address, from_name, reply_to,
				  auth_type, username, password, provider, login_email, client_id, client_secret, tenant_id,
				  client_secret_expires_on, secret_changed_at, status, status_changed_at, rate_limit_per_minute,
				  max_connections, max_message_bytes, created_at, updated_at, version, mailbox, access, transport,
				  client_certificate_key, client_certificate, client_certificate_thumbprint,
				  client_certificate_expires_at, service_account_key, service_account_email, service_account_client_id,
				  daily_limit)
				values (:id, :account, :name, :host, :port, :from, :fromName, :replyTo, :authType, :username,
				  :password, :provider, :loginEmail, :clientId, :clientSecret, :tenantId, :secretExpiresOn,
				  :secretChangedAt, :status, :statusChangedAt, :rate, :connections, :maxBytes, :createdAt,
				  :updatedAt, 0, :mailbox, :access, :transport, :certificateKey, :certificate, :certificateThumbprint,
				  :certificateExpiresAt, :serviceAccountKey, :serviceAccountEmail, :serviceAccountClientId,
				  :dailyLimit)""").params(writeParams(service)).update();
	}

	/**
	 * Saves an edited service if nobody else changed it since it was read.
	 * @return false when {@code service.version()} is stale (the caller re-reads and retries or reports a conflict)
	 */
	public boolean update(SmtpService service) {
		return jdbc.sql("""
				update smtp_service set name = :name, host = :host, port = :port, from_address = :from,
				  from_name = :fromName, reply_to = :replyTo, auth_type = :authType, username = :username,
				  password = :password, provider = :provider, login_email = :loginEmail, client_id = :clientId,
				  client_secret = :clientSecret, tenant_id = :tenantId, client_secret_expires_on = :secretExpiresOn,
				  secret_changed_at = :secretChangedAt, status = :status, status_changed_at = :statusChangedAt,
				  status_reason = cast(:statusReason as jsonb), authorized_at = :authorizedAt,
				  authorized_account = :authorizedAccount, rate_limit_per_minute = :rate,
				  max_connections = :connections, max_message_bytes = :maxBytes, updated_at = :updatedAt,
				  access = :access, transport = :transport, client_certificate_key = :certificateKey,
				  client_certificate = :certificate, client_certificate_thumbprint = :certificateThumbprint,
				  client_certificate_expires_at = :certificateExpiresAt, mailbox = :mailbox,
				  service_account_key = :serviceAccountKey, service_account_email = :serviceAccountEmail,
				  service_account_client_id = :serviceAccountClientId, daily_limit = :dailyLimit, version = version + 1
				where id = :id and account_id = :account and version = :version and deleted_at is null""")
			.params(writeParams(service))
			.param("statusReason", json(service.statusReason()))
			.param("authorizedAt", timestamptz(service.authorizedAt()))
			.param("authorizedAccount", service.authorizedAccount())
			.param("version", service.version())
			.update() == 1;
	}

	/** Soft-deletes a service (its delivery log stays); returns false if there was none. */
	@Transactional
	public boolean markDeleted(String accountId, UUID id, Instant at) {
		boolean deleted = jdbc.sql("""
				update smtp_service set deleted_at = ?, updated_at = ?, version = version + 1,
				  password = null, client_secret = null, client_certificate_key = null, service_account_key = null
				where id = ? and account_id = ? and deleted_at is null""")
			.params(timestamptz(at), timestamptz(at), id, accountId)
			.update() == 1;
		if (deleted) {
			jdbc.sql("delete from token_cache where service_id = ?").param(id).update();
		}
		return deleted;
	}

	/** Records a completed authorization: status AUTHORIZED, by whom and when. */
	public boolean markAuthorized(UUID id, String authorizedAccount, Instant at) {
		return jdbc.sql("""
				update smtp_service set status = 'AUTHORIZED', status_reason = null, status_changed_at = :at,
				  authorized_at = :at, authorized_account = :account, updated_at = :at, version = version + 1
				where id = :id and deleted_at is null""")
			.param("at", timestamptz(at))
			.param("account", authorizedAccount)
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Moves an authorized service to NEEDS_REAUTHORIZATION or CONFIGURATION_ERROR, but only if the
	 * authorization that failed is still the current one: if an admin re-authorized in the meantime (the
	 * token cache has a newer version), the failure is old news and nothing changes.
	 * @param tokenCacheVersion the token cache version the failed request used
	 *     ({@link io.mailroom.core.tokens.TokenCaches#NONE} when it found none), or null for basic services
	 * @return whether the status changed (and a service event is due)
	 */
	public boolean markNeedsAttention(UUID id, ServiceStatus status, ErrorDetails reason, Long tokenCacheVersion,
			Instant at) {
		if (!status.holdsMail()) {
			throw new IllegalArgumentException(status + " does not hold mail");
		}
		return jdbc.sql("""
				update smtp_service set status = :status, status_reason = cast(:reason as jsonb),
				  status_changed_at = :at, updated_at = :at, version = version + 1
				where id = :id and deleted_at is null and status = 'AUTHORIZED'
				  and (cast(:cacheVersion as bigint) is null
				       or coalesce((select version from token_cache where service_id = :id), 0) = :cacheVersion)""")
			.param("status", status.name())
			.param("reason", json(reason))
			.param("at", timestamptz(at))
			.param("id", id)
			.param("cacheVersion", tokenCacheVersion)
			.update() == 1;
	}

	/**
	 * Sets the status and reason of a service that is not authorized (an authorization attempt failed).
	 * @return false if the service is authorized meanwhile, or gone
	 */
	public boolean recordUnauthorizedReason(UUID id, ServiceStatus status, ErrorDetails reason, Instant at) {
		return jdbc.sql("""
				update smtp_service set status_reason = cast(:reason as jsonb),
				  status_changed_at = case when status = :status then status_changed_at else :at end,
				  status = :status, updated_at = :at, version = version + 1
				where id = :id and deleted_at is null and status <> 'AUTHORIZED'""")
			.param("reason", json(reason))
			.param("status", status.name())
			.param("at", timestamptz(at))
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Notes the latest successful deliveries of services for their status pages, in one statement: a busy
	 * worker notes many services at once rather than one update (and one commit) per service and batch.
	 */
	public void recordSuccesses(Map<UUID, Instant> latest) {
		if (latest.isEmpty()) {
			return;
		}
		List<Map.Entry<UUID, Instant>> entries = List.copyOf(latest.entrySet());
		jdbc.sql("""
				update smtp_service s set last_success_at = greatest(s.last_success_at, n.at)
				from unnest(cast(:ids as uuid[]), cast(:ats as timestamptz[])) as n(id, at)
				where s.id = n.id""")
			.param("ids", entries.stream().map(Map.Entry::getKey).toArray(UUID[]::new))
			.param("ats", entries.stream().map(e -> timestamptzText(e.getValue())).toArray(String[]::new))
			.update();
	}

	/** A failed delivery of a service, for its status page. */
	public record LatestFailure(ErrorDetails failure, Instant at) {
	}

	/** Notes the latest failed deliveries of services for their status pages, in one statement. */
	public void recordFailures(Map<UUID, LatestFailure> latest) {
		if (latest.isEmpty()) {
			return;
		}
		List<Map.Entry<UUID, LatestFailure>> entries = List.copyOf(latest.entrySet());
		jdbc.sql("""
				update smtp_service s set last_failure_at = n.at, last_failure = n.failure
				from (select id, at, cast(failure as jsonb) as failure
				      from unnest(cast(:ids as uuid[]), cast(:ats as timestamptz[]), cast(:failures as text[]))
				        as f(id, at, failure)) as n
				where s.id = n.id and (s.last_failure_at is null or s.last_failure_at <= n.at)""")
			.param("ids", entries.stream().map(Map.Entry::getKey).toArray(UUID[]::new))
			.param("ats", entries.stream().map(e -> timestamptzText(e.getValue().at())).toArray(String[]::new))
			.param("failures", entries.stream().map(e -> json(e.getValue().failure())).toArray(String[]::new))
			.update();
	}

	private static java.util.Map<String, Object> writeParams(SmtpService s) {
		var params = new java.util.HashMap<String, Object>();
		params.put("id", s.id());
		params.put("account", s.accountId());
		params.put("name", s.name());
		params.put("host", s.host());
		params.put("port", s.port());
		params.put("from", s.fromAddress());
		params.put("fromName", s.fromName());
		params.put("replyTo", s.replyTo());
		params.put("status", s.status().name());
		params.put("statusChangedAt", timestamptz(s.statusChangedAt()));
		params.put("rate", s.rateLimitPerMinute());
		params.put("connections", s.maxConnections());
		params.put("maxBytes", s.maxMessageBytes());
		params.put("secretChangedAt", timestamptz(s.secretChangedAt()));
		params.put("createdAt", timestamptz(s.createdAt()));
		params.put("updatedAt", timestamptz(s.updatedAt()));
		params.put("mailbox", s.mailbox());
		params.put("username", null);
		params.put("password", null);
		params.put("provider", null);
		params.put("loginEmail", null);
		params.put("clientId", null);
		params.put("clientSecret", null);
		params.put("tenantId", null);
		params.put("secretExpiresOn", null);
		params.put("access", Access.DELEGATED.name());
		params.put("transport", Transport.SMTP.name());
		params.put("certificateKey", null);
		params.put("certificate", null);
		params.put("certificateThumbprint", null);
		params.put("certificateExpiresAt", null);
		params.put("serviceAccountKey", null);
		params.put("serviceAccountEmail", null);
		params.put("serviceAccountClientId", null);
		params.put("dailyLimit", s.dailyLimit());
		switch (s.authentication()) {
			case BasicAuthentication basic -> {
				params.put("authType", "BASIC");
				params.put("username", basic.username());
				params.put("password", envelope(basic.password()));
			}
			case MicrosoftOAuth2 oauth2 -> {
				params.put("authType", "OAUTH2");
				params.put("provider", "MICROSOFT");
				params.put("loginEmail", oauth2.loginEmail());
				params.put("clientId", oauth2.clientId());
				params.put("clientSecret", envelope(oauth2.clientSecret()));
				params.put("tenantId", oauth2.tenantId());
				params.put("secretExpiresOn", oauth2.clientSecretExpiresOn());
				params.put("access", oauth2.access().name());
				params.put("transport", oauth2.transport().name());
				if (oauth2.certificate() != null) {
					params.put("certificateKey", envelope(oauth2.certificate().privateKey()));
					params.put("certificate", oauth2.certificate().certificatePem());
					params.put("certificateThumbprint", oauth2.certificate().thumbprint());
					params.put("certificateExpiresAt", timestamptz(oauth2.certificate().notAfter()));
				}
			}
			case GoogleOAuth2 google -> {
				params.put("authType", "OAUTH2");
				params.put("provider", "GOOGLE");
				params.put("loginEmail", google.loginEmail());
				params.put("clientId", google.clientId());
				params.put("clientSecret", envelope(google.clientSecret()));
				params.put("access", google.access().name());
				if (google.serviceAccount() != null) {
					params.put("serviceAccountKey", envelope(google.serviceAccount().key()));
					params.put("serviceAccountEmail", google.serviceAccount().clientEmail());
					params.put("serviceAccountClientId", google.serviceAccount().clientId());
				}
			}
		}
		return params;
	}

	private static byte[] envelope(SealedSecret secret) {
		return secret == null ? null : secret.envelope();
	}

	static SmtpService map(ResultSet rs, int row) throws SQLException {
		UUID id = rs.getObject("id", UUID.class);
		Authentication authentication = switch (rs.getString("auth_type")) {
			case "BASIC" -> new BasicAuthentication(rs.getString("username"),
					sealed(rs.getBytes("password"), SmtpService.secretContext(id, "password")));
			case "OAUTH2" -> "GOOGLE".equals(rs.getString("provider")) ? google(rs, id) : new MicrosoftOAuth2(rs.getString("login_email"), rs.getString("client_id"),
					sealed(rs.getBytes("client_secret"), SmtpService.secretContext(id, "client_secret")),
					rs.getString("tenant_id"), rs.getObject("client_secret_expires_on", LocalDate.class),
					Access.valueOf(rs.getString("access")), Transport.valueOf(rs.getString("transport")),
					certificate(rs, id));
			default -> throw new IllegalStateException("Unknown auth_type of service " + id);
		};
		return new SmtpService(id, rs.getString("account_id"), rs.getString("name"), rs.getString("host"),
				rs.getInt("port"), rs.getString("from_address"), rs.getString("from_name"), rs.getString("reply_to"),
				authentication, ServiceStatus.valueOf(rs.getString("status")), error(rs.getString("status_reason")),
				instant(rs, "status_changed_at"), instant(rs, "authorized_at"),
				rs.getString("authorized_account"), rs.getObject("rate_limit_per_minute", Integer.class),
				rs.getObject("max_connections", Integer.class), rs.getObject("max_message_bytes", Long.class),
				instant(rs, "last_success_at"), instant(rs, "last_failure_at"),
				error(rs.getString("last_failure")), instant(rs, "secret_changed_at"),
				instant(rs, "created_at"), instant(rs, "updated_at"),
				rs.getLong("version"), rs.getObject("daily_limit", Integer.class));
	}

	private static GoogleOAuth2 google(ResultSet rs, UUID id) throws SQLException {
		byte[] key = rs.getBytes("service_account_key");
		return new GoogleOAuth2(rs.getString("login_email"), rs.getString("client_id"),
				sealed(rs.getBytes("client_secret"), SmtpService.secretContext(id, "client_secret")),
				Access.valueOf(rs.getString("access")),
				key == null ? null : new GoogleOAuth2.ServiceAccount(sealed(key, SmtpService.secretContext(id,
						SERVICE_ACCOUNT_KEY)), rs.getString("service_account_email"),
						rs.getString("service_account_client_id")));
	}

	/** The secret name of a service account's JSON key: {@code smtp_service/<id>/service_account_key}. */
	public static final String SERVICE_ACCOUNT_KEY = "service_account_key";

	private static ClientCertificate certificate(ResultSet rs, UUID id) throws SQLException {
		byte[] key = rs.getBytes("client_certificate_key");
		return key == null ? null : new ClientCertificate(
				sealed(key, SmtpService.secretContext(id, CERTIFICATE_KEY)), rs.getString("client_certificate"),
				rs.getString("client_certificate_thumbprint"), instant(rs, "client_certificate_expires_at"));
	}

	/** The secret name of a certificate's private key: {@code smtp_service/<id>/client_certificate_key}. */
	public static final String CERTIFICATE_KEY = "client_certificate_key";

	/**
	 * Notes that a mail went through Graph after SMTP AUTH was refused, for the status page.
	 * @param reason the SMTP refusal that led to it, e.g. {@code 535 5.7.139}
	 */
	public void recordFallback(UUID id, ErrorDetails reason, Instant at) {
		jdbc.sql("""
				update smtp_service set last_fallback_at = :at, last_fallback = cast(:reason as jsonb)
				where id = :id and (last_fallback_at is null or last_fallback_at <= :at)""")
			.param("at", timestamptz(at))
			.param("reason", json(reason))
			.param("id", id)
			.update();
	}

	/** When the service last fell back to Graph and why, if it ever did. */
	public Optional<Fallback> lastFallback(UUID id) {
		return jdbc.sql("select last_fallback_at, last_fallback::text as last_fallback from smtp_service where id = ? "
				+ "and last_fallback_at is not null")
			.param(id)
			.query((rs, row) -> new Fallback(instant(rs, "last_fallback_at"), error(rs.getString("last_fallback"))))
			.optional();
	}

	/** A send through Graph because SMTP AUTH was refused. */
	public record Fallback(Instant at, ErrorDetails reason) {
	}

	private static SealedSecret sealed(byte[] envelope, String context) {
		return envelope == null ? null : new SealedSecret(envelope, context);
	}

	private static ErrorDetails error(String json) {
		return fromJson(json, ErrorDetails.class);
	}

}
