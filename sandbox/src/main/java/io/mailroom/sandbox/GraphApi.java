package io.mailroom.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import io.mailroom.sandbox.Directory.Account;
import io.mailroom.sandbox.Directory.App;

/**
 * Microsoft Graph's mail sending (graph.microsoft.com/v1.0), over HTTPS: {@code sendMail} with a MIME
 * message (base64, {@code text/plain}) or a JSON message, drafts from MIME, attachment upload sessions and
 * {@code send}, and Sent Items looked up by {@code internetMessageId}. Tokens, permissions (delegated
 * {@code scp}, application {@code roles}, RBAC for Applications), limits per app and mailbox, and errors
 * follow Graph's documentation; what it leaves open is marked.
 */
final class GraphApi implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(GraphApi.class);

	private static final String GRAPH = "https://graph.microsoft.com";

	private static final Pattern USER_ROUTE = Pattern.compile(
			"^/v1\\.0/users/([^/]+)/(sendMail|messages|messages/([^/]+)/send|messages/([^/]+)/attachments/createUploadSession|mailFolders/([^/]+)/messages)$");

	private static final Pattern UPLOAD_ROUTE = Pattern.compile("^/upload/([^/]+)$");

	private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

	private static final Pattern FILTER = Pattern.compile("internetMessageId eq '([^']*)'");

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

	/** A message in a mailbox folder: a draft, or a copy in Sent Items. */
	record StoredMessage(String id, String internetMessageId, String subject, byte[] mime) {
	}

	/** An upload session of one attachment of a draft. */
	private static final class Upload {

		final String userId;

		final String messageId;

		final String name;

		final String contentType;

		final byte[] content;

		final String limitKey;

		long received;

		Upload(String userId, String messageId, String name, String contentType, int size, String limitKey) {
			this.userId = userId;
			this.messageId = messageId;
			this.name = name;
			this.contentType = contentType;
			this.content = new byte[size];
			this.limitKey = limitKey;
		}

	}

	/** A draft being put together. */
	private static final class Draft {

		final String id;

		volatile byte[] mime;

		Draft(String id, byte[] mime) {
			this.id = id;
			this.mime = mime;
		}

	}

	private final HttpEndpoint server;

	private final Directory directory;

	private final Grants grants;

	private final Scenarios scenarios;

	private final Mailbox mailbox;

	private final SandboxStats stats;

	private final Clock clock;

	private final String baseUrl;

	private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	private final Map<String, Deque<Instant>> requests = new ConcurrentHashMap<>();

	private final Map<String, Deque<long[]>> uploads = new ConcurrentHashMap<>();

	private final Map<String, List<StoredMessage>> sentItems = new ConcurrentHashMap<>();

	private final Map<String, Draft> drafts = new ConcurrentHashMap<>();

	private final Map<String, Upload> uploadSessions = new ConcurrentHashMap<>();

	private final AtomicLong queueIds = new AtomicLong();

	GraphApi(SandboxSettings settings, SandboxTls tls, Directory directory, Grants grants, Scenarios scenarios,
			Mailbox mailbox, SandboxStats stats) throws IOException {
		this.directory = directory;
		this.grants = grants;
		this.scenarios = scenarios;
		this.mailbox = mailbox;
		this.stats = stats;
		this.clock = settings.clock();
		this.server = HttpEndpoint.https(settings.bindAddress(), 0, tls, "sandbox-graph-", this::handle);
		this.baseUrl = this.server.httpsUrl(settings.hostName());
	}

	void start() {
		this.server.start();
	}

	/** e.g. {@code https://localhost:49160} (https://graph.microsoft.com). */
	String baseUrl() {
		return this.baseUrl;
	}

	/** The copies in a mailbox's Sent Items. */
	List<StoredMessage> sentItems(String userPrincipalName) {
		return this.directory.account(userPrincipalName)
			.map((account) -> List.copyOf(this.sentItems.getOrDefault(account.user.id(), List.of())))
			.orElse(List.of());
	}

	private void handle(HttpExchange exchange) throws IOException {
		String requestId = UUID.randomUUID().toString();
		exchange.getResponseHeaders().set("request-id", requestId);
		String clientRequestId = exchange.getRequestHeaders().getFirst("client-request-id");
		if (clientRequestId != null) {
			exchange.getResponseHeaders().set("client-request-id", clientRequestId);
		}
		String limitKey = null;
		try {
			String path = exchange.getRequestURI().getPath();
			Matcher upload = UPLOAD_ROUTE.matcher(path);
			if (upload.matches() && exchange.getRequestMethod().equals("PUT")) {
				upload(exchange, upload.group(1));
				return;
			}
			Matcher route = USER_ROUTE.matcher(path);
			if (!route.matches()) {
				throw new GraphFailure(400, "BadRequest", "Resource not found for the segment '" + path + "'.");
			}
			String method = exchange.getRequestMethod();
			Grants.AccessToken token = token(exchange);
			Account target = this.directory.account(decodePath(route.group(1)))
				.or(() -> this.directory.accountById(decodePath(route.group(1))))
				.orElseThrow(() -> new GraphFailure(404, "ErrorInvalidUser",
						"The requested user '" + decodePath(route.group(1)) + "' is invalid."));
			if (!token.tenantId().equals(target.user.tenantId())) {
				throw GraphFailure.accessDenied();
			}
			if (this.scenarios.restApiDisabled(target.user.id())) {
				throw new GraphFailure(404, "MailboxNotEnabledForRESTAPI",
						"The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
			}
			limitKey = token.clientId() + "|" + target.user.id();
			enterLimits(limitKey);
			String operation = route.group(2);
			if (operation.equals("sendMail") && method.equals("POST")) {
				sendMail(exchange, token, target);
			}
			else if (operation.equals("messages") && method.equals("POST")) {
				createDraft(exchange, token, target);
			}
			else if (route.group(3) != null && method.equals("POST")) {
				sendDraft(exchange, token, target, route.group(3));
			}
			else if (route.group(4) != null && method.equals("POST")) {
				createUploadSession(exchange, token, target, route.group(4), limitKey);
			}
			else if (route.group(5) != null && method.equals("GET")) {
				listMessages(exchange, token, target, route.group(5));
			}
			else {
				throw new GraphFailure(405, "Request_BadRequest", "The HTTP method '" + method + "' is not allowed.");
			}
		}
		catch (GraphFailure failure) {
			error(exchange, failure, requestId, clientRequestId);
		}
		catch (RuntimeException ex) {
			LOG.warn("Graph request {} failed", exchange.getRequestURI().getPath(), ex);
			error(exchange, new GraphFailure(500, "UnknownError", String.valueOf(ex)), requestId, clientRequestId);
		}
		finally {
			if (limitKey != null) {
				this.inFlight.get(limitKey).decrementAndGet();
			}
			exchange.close();
		}
	}

	private void sendMail(HttpExchange exchange, Grants.AccessToken token, Account target) throws IOException, GraphFailure {
		require(token, target, "Mail.Send", ApplicationRole.MAIL_SEND);
		byte[] body = body(exchange);
		String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
		byte[] mime;
		boolean save = true;
		if (contentType.startsWith("text/plain")) {
			mime = GraphMessages.decodeBase64(body);
		}
		else if (contentType.startsWith("application/json")) {
			Map<String, Object> request = readJson(body);
			Object message = request.get("message");
			if (!(message instanceof Map<?, ?>)) {
				throw new GraphFailure(400, "ErrorInvalidParameter", "The value of the parameter 'Message' is empty.");
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> resource = (Map<String, Object>) message;
			mime = GraphMessages.fromJson(resource, target.address());
			save = !Boolean.FALSE.equals(request.get("saveToSentItems"));
		}
		else {
			throw new GraphFailure(415, "UnsupportedMediaType", "Content type '" + contentType + "' is not supported.");
		}
		submit(exchange, token, target, mime, save);
	}

	private void createDraft(HttpExchange exchange, Grants.AccessToken token, Account target) throws IOException, GraphFailure {
		require(token, target, "Mail.ReadWrite", ApplicationRole.MAIL_READ_WRITE);
		String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
		if (!contentType.startsWith("text/plain")) {
			throw new GraphFailure(415, "UnsupportedMediaType", "Drafts are created from MIME here (text/plain, base64).");
		}
		byte[] mime = GraphMessages.decodeBase64(body(exchange));
		GraphMessages.Envelope envelope = GraphMessages.envelope(mime);
		String id = "AAMkAD" + UUID.randomUUID().toString().replace("-", "");
		this.drafts.put(id, new Draft(id, mime));
		Map<String, Object> created = new LinkedHashMap<>();
		created.put("id", id);
		created.put("internetMessageId", envelope.internetMessageId());
		created.put("subject", envelope.subject());
		created.put("isDraft", true);
		Http.json(exchange, 201, created);
	}

	private void createUploadSession(HttpExchange exchange, Grants.AccessToken token, Account target, String messageId,
			String limitKey) throws IOException, GraphFailure {
		require(token, target, "Mail.ReadWrite", ApplicationRole.MAIL_READ_WRITE);
		if (!this.drafts.containsKey(messageId)) {
			throw new GraphFailure(404, "ErrorItemNotFound", "The specified object was not found in the store.");
		}
		Map<String, Object> request = readJson(body(exchange));
		Object item = request.get("AttachmentItem");
		if (!(item instanceof Map<?, ?> attachment) || !(attachment.get("size") instanceof Number size)) {
			throw new GraphFailure(400, "ErrorInvalidRequest", "AttachmentItem with name and size is required.");
		}
		GraphLimits limits = this.scenarios.graphLimits();
		if (size.longValue() > limits.maxMessageBytes()) {
			throw new GraphFailure(413, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
					"The attachment size exceeds the limit of " + limits.maxMessageBytes() + " bytes.");
		}
		String session = UUID.randomUUID().toString().replace("-", "");
		this.uploadSessions.put(session, new Upload(target.user.id(), messageId, String.valueOf(attachment.get("name")),
				String.valueOf(attachment.get("contentType") == null ? "application/octet-stream" : attachment.get("contentType")),
				size.intValue(), limitKey));
		Map<String, Object> created = new LinkedHashMap<>();
		created.put("uploadUrl", this.baseUrl + "/upload/" + session);
		created.put("expirationDateTime", DATE.format(now().plus(Duration.ofHours(24))) + "Z");
		created.put("nextExpectedRanges", List.of("0-"));
		Http.json(exchange, 201, created);
	}

	/** {@code PUT} of one chunk to an upload URL; the URL is the credential, an Authorization header is refused. */
	private void upload(HttpExchange exchange, String session) throws IOException {
		try {
			Upload upload = this.uploadSessions.get(session);
			if (upload == null) {
				throw new GraphFailure(404, "ErrorItemNotFound", "The upload session was not found or has expired.");
			}
			if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
				// Graph: "do not specify an Authorization request header" for the PUT to uploadUrl
				throw new GraphFailure(401, "InvalidAuthenticationToken", "Authorization header is not allowed on an upload URL.");
			}
			Matcher range = CONTENT_RANGE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Range")));
			if (!range.matches()) {
				throw new GraphFailure(400, "InvalidContentRange", "The Content-Range header is missing or malformed.");
			}
			long first = Long.parseLong(range.group(1));
			long last = Long.parseLong(range.group(2));
			long total = Long.parseLong(range.group(3));
			GraphLimits limits = this.scenarios.graphLimits();
			byte[] chunk = body(exchange);
			if (total != upload.content.length || first != upload.received || last - first + 1 != chunk.length
					|| last >= total) {
				throw new GraphFailure(416, "InvalidRange", "The range does not continue the upload at " + upload.received + ".");
			}
			if (chunk.length > limits.maxRequestBytes()) {
				throw new GraphFailure(413, "RequestEntityTooLarge", "A chunk may be 4 MB at most.");
			}
			enterUploadLimit(upload.limitKey, chunk.length, limits);
			System.arraycopy(chunk, 0, upload.content, (int) first, chunk.length);
			upload.received = last + 1;
			if (upload.received < total) {
				Map<String, Object> progress = new LinkedHashMap<>();
				progress.put("expirationDateTime", DATE.format(now().plus(Duration.ofHours(24))) + "Z");
				progress.put("nextExpectedRanges", List.of(upload.received + "-"));
				Http.json(exchange, 200, progress);
				return;
			}
			this.uploadSessions.remove(session);
			Draft draft = this.drafts.get(upload.messageId);
			if (draft == null) {
				throw new GraphFailure(404, "ErrorItemNotFound", "The specified object was not found in the store.");
			}
			synchronized (draft) {
				draft.mime = GraphMessages.withAttachment(draft.mime, upload.name, upload.contentType, upload.content);
			}
			exchange.getResponseHeaders().set("Location", this.baseUrl + "/v1.0/users/" + upload.userId + "/messages/"
					+ upload.messageId + "/attachments/" + session);
			Http.send(exchange, 201, new byte[0]);
		}
		catch (GraphFailure failure) {
			error(exchange, failure, UUID.randomUUID().toString(), null);
		}
		finally {
			exchange.close();
		}
	}

	private void sendDraft(HttpExchange exchange, Grants.AccessToken token, Account target, String messageId)
			throws IOException, GraphFailure {
		require(token, target, "Mail.Send", ApplicationRole.MAIL_SEND);
		body(exchange);
		Draft draft = this.drafts.get(messageId);
		if (draft == null) {
			throw new GraphFailure(404, "ErrorItemNotFound", "The specified object was not found in the store.");
		}
		if (draft.mime.length > this.scenarios.graphLimits().maxMessageBytes()) {
			throw new GraphFailure(400, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.");
		}
		submit(exchange, token, target, draft.mime, true);
		this.drafts.remove(messageId);
	}

	private void listMessages(HttpExchange exchange, Grants.AccessToken token, Account target, String folder)
			throws IOException, GraphFailure {
		if (!token.allows("Mail.ReadBasic") && !token.allows("Mail.Read") && !token.allows("Mail.ReadBasic.All")
				&& !token.allows("Mail.ReadWrite") && !granted(token, target, ApplicationRole.MAIL_READ_BASIC)
				&& !granted(token, target, ApplicationRole.MAIL_READ_WRITE)) {
			throw GraphFailure.accessDenied();
		}
		mayActOn(token, target);
		if (!folder.equalsIgnoreCase("SentItems")) {
			throw new GraphFailure(404, "ErrorInvalidIdMalformed", "Id is malformed.");
		}
		String filter = Http.query(exchange).get("$filter");
		Matcher wanted = FILTER.matcher(filter == null ? "" : filter);
		List<Map<String, Object>> found = new ArrayList<>();
		for (StoredMessage message : this.sentItems.getOrDefault(target.user.id(), List.of())) {
			if (filter == null || (wanted.matches() && wanted.group(1).equals(message.internetMessageId()))) {
				Map<String, Object> item = new LinkedHashMap<>();
				item.put("id", message.id());
				item.put("internetMessageId", message.internetMessageId());
				item.put("subject", message.subject());
				found.add(item);
			}
		}
		Http.json(exchange, 200, Map.of("value", found));
	}

	/** Hands a message to Exchange: delivered (into the sandbox's mailbox), copied to Sent Items, 202. */
	private void submit(HttpExchange exchange, Grants.AccessToken token, Account target, byte[] mime, boolean save)
			throws IOException, GraphFailure {
		GraphMessages.Envelope envelope = GraphMessages.envelope(mime);
		// UNCONFIRMED: which of the two Graph checks first; here Send As, so a message without recipients tells
		// whether the mailbox may send as its From address without sending anything
		if (envelope.from() != null && !target.maySendAs(envelope.from())) {
			throw GraphFailure.sendAsDenied();
		}
		if (envelope.recipients().isEmpty()) {
			throw new GraphFailure(400, "ErrorInvalidRecipients", "At least one recipient is required, but none were found.");
		}
		if (mime.length > this.scenarios.graphLimits().maxMessageBytes()) {
			throw new GraphFailure(400, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size.");
		}
		Optional<Scenarios.Condition.GraphFailures> failure = this.scenarios.graphFailure();
		if (failure.isPresent() && !failure.get().sentAnyway()) {
			throw new GraphFailure(failure.get().status(), failure.get().code(), failure.get().message(),
					failure.get().status() == 429 ? Duration.ofSeconds(1) : null);
		}
		Instant now = now();
		String queueId = "graph-" + this.queueIds.incrementAndGet();
		String by = token.delegated() ? token.upn() : token.clientId();
		this.mailbox.add(new ReceivedMessage(queueId, "graph", target.address(), by,
				envelope.from() == null ? target.address() : envelope.from(), envelope.recipients(),
				this.mailbox.keepsContent() ? mime : new byte[0], now));
		this.stats.graphMessageAccepted();
		if (save) {
			this.sentItems.computeIfAbsent(target.user.id(), (id) -> new CopyOnWriteArrayList<>())
				.add(new StoredMessage("AAMkAD" + UUID.randomUUID().toString().replace("-", ""),
						envelope.internetMessageId(), envelope.subject(), new byte[0]));
		}
		if (failure.isPresent()) {
			throw new GraphFailure(504, "UnknownError", "");
		}
		Http.send(exchange, 202, new byte[0]);
	}

	/** The bearer token, if it is a valid Graph token. */
	private Grants.AccessToken token(HttpExchange exchange) throws GraphFailure {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new GraphFailure(401, "InvalidAuthenticationToken", "Access token is empty.");
		}
		Grants.AccessToken token = this.grants.validAccessToken(authorization.substring(7).trim(), now())
			.orElseThrow(() -> new GraphFailure(401, "InvalidAuthenticationToken",
					"Access token has expired or is not yet valid."));
		if (!token.resource().equals(GRAPH)) {
			throw new GraphFailure(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
		}
		return token;
	}

	/**
	 * A delegated token needs {@code permission} (or {@code permission.Shared} for another mailbox, which the
	 * user must have FullAccess or Send As on); an app-only token needs the application permission, or an RBAC
	 * for Applications assignment of {@code role} over the mailbox.
	 */
	private void require(Grants.AccessToken token, Account target, String permission, ApplicationRole role)
			throws GraphFailure {
		if (token.delegated()) {
			boolean own = token.userId().equals(target.user.id());
			if (own ? !token.allows(permission) : !token.allows(permission + ".Shared")) {
				throw GraphFailure.accessDenied();
			}
			mayActOn(token, target);
			return;
		}
		if (!token.allows(permission) && !granted(token, target, role)) {
			throw GraphFailure.accessDenied();
		}
	}

	private void mayActOn(Grants.AccessToken token, Account target) throws GraphFailure {
		if (token.delegated() && !token.userId().equals(target.user.id())) {
			Account user = this.directory.accountById(token.userId()).orElseThrow(GraphFailure::accessDenied);
			if (!target.mayBeOpenedBy(user.address()) && !user.maySendAs(target.address())) {
				throw GraphFailure.accessDenied();
			}
		}
	}

	private boolean granted(Grants.AccessToken token, Account target, ApplicationRole role) {
		return !token.delegated() && this.directory.registeredApp(token.clientId())
			.map((App app) -> app.assigned(role, target.user.tenantId(), target.address()))
			.orElse(false);
	}

	/** Counts the request against its app and mailbox: 4 at once, 10,000 per 10 minutes. */
	private void enterLimits(String key) throws GraphFailure {
		GraphLimits limits = this.scenarios.graphLimits();
		AtomicInteger running = this.inFlight.computeIfAbsent(key, (k) -> new AtomicInteger());
		if (running.incrementAndGet() > limits.concurrentRequests()) {
			running.decrementAndGet();
			this.stats.graphThrottledOnce();
			throw new GraphFailure(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.",
					Duration.ofSeconds(1));
		}
		Deque<Instant> window = this.requests.computeIfAbsent(key, (k) -> new ArrayDeque<>());
		Instant now = now();
		synchronized (window) {
			while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(limits.requestWindow()))) {
				window.pollFirst();
			}
			if (window.size() >= limits.requestsPerWindow()) {
				running.decrementAndGet();
				this.stats.graphThrottledOnce();
				Duration wait = Duration.between(now, window.peekFirst().plus(limits.requestWindow()));
				// INVENTED: the message of a request-count throttle (Graph documents the limit, not the words)
				throw new GraphFailure(429, "ApplicationThrottled", "Application is over its MailboxRequests limit.",
						wait.isNegative() ? Duration.ofSeconds(1) : wait.plusSeconds(1));
			}
			window.addLast(now);
		}
	}

	private void enterUploadLimit(String key, long bytes, GraphLimits limits) throws GraphFailure {
		Deque<long[]> window = this.uploads.computeIfAbsent(key, (k) -> new ArrayDeque<>());
		long now = now().toEpochMilli();
		synchronized (window) {
			while (!window.isEmpty() && window.peekFirst()[0] <= now - limits.uploadWindow().toMillis()) {
				window.pollFirst();
			}
			long used = window.stream().mapToLong((entry) -> entry[1]).sum();
			if (used + bytes > limits.uploadBytesPerWindow()) {
				this.stats.graphThrottledOnce();
				throw new GraphFailure(429, "ApplicationThrottled", "Application is over its IncomingBytes limit.",
						Duration.ofMillis(window.peekFirst()[0] + limits.uploadWindow().toMillis() - now).plusSeconds(1));
			}
			window.addLast(new long[] { now, bytes });
		}
	}

	private byte[] body(HttpExchange exchange) throws IOException, GraphFailure {
		int max = this.scenarios.graphLimits().maxRequestBytes();
		// base64 of a 4 MB message and JSON overhead; Graph's exact cut-off is UNCONFIRMED
		int allowed = exchange.getRequestURI().getPath().startsWith("/upload/") ? max : max * 4 / 3 + 64 * 1024;
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readNBytes(allowed + 1);
			if (body.length > allowed) {
				in.transferTo(java.io.OutputStream.nullOutputStream());
				throw new GraphFailure(413, "RequestEntityTooLarge",
						"The request is larger than 4 MB: use an upload session for large attachments.");
			}
			return body;
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> readJson(byte[] body) throws GraphFailure {
		try {
			return Json.mapper.readValue(body, Map.class);
		}
		catch (JacksonException ex) {
			throw new GraphFailure(400, "BadRequest", "Unable to read JSON request payload.");
		}
	}

	private void error(HttpExchange exchange, GraphFailure failure, String requestId, String clientRequestId)
			throws IOException {
		if (failure.retryAfter() != null) {
			exchange.getResponseHeaders().set("Retry-After", String.valueOf(Math.max(1, failure.retryAfter().toSeconds())));
		}
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("date", DATE.format(now()));
		inner.put("request-id", requestId);
		inner.put("client-request-id", clientRequestId == null ? requestId : clientRequestId);
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", failure.code());
		error.put("message", failure.getMessage());
		error.put("innerError", inner);
		LOG.debug("Graph answers {} {}", failure.status(), failure.code());
		Http.json(exchange, failure.status(), Map.of("error", error));
	}

	private static String decodePath(String segment) {
		return java.net.URLDecoder.decode(segment, StandardCharsets.UTF_8);
	}

	private Instant now() {
		return this.clock.instant();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
