package io.mailroom.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;

/** Small helpers around the JDK's HTTP server: parameters in, JSON, HTML and redirects out. */
final class Http {

	private static final int MAX_FORM_BYTES = 1024 * 1024;

	private Http() {
	}

	static Map<String, String> query(HttpExchange exchange) {
		return decode(exchange.getRequestURI().getRawQuery());
	}

	/** The form-urlencoded body (empty for other content). */
	static Map<String, String> form(HttpExchange exchange) throws IOException {
		try (InputStream body = exchange.getRequestBody()) {
			byte[] bytes = body.readNBytes(MAX_FORM_BYTES);
			return decode(new String(bytes, StandardCharsets.US_ASCII));
		}
	}

	static Map<String, String> decode(String encoded) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return parameters;
		}
		for (String pair : encoded.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
			String value = (equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			parameters.putIfAbsent(name, value);
		}
		return parameters;
	}

	static String encode(Map<String, String> parameters) {
		return parameters.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static void json(HttpExchange exchange, int status, Object body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		send(exchange, status, Json.write(body).getBytes(StandardCharsets.UTF_8));
	}

	/** A token endpoint response: never cached, as Microsoft's. */
	static void tokenJson(HttpExchange exchange, int status, Object body) throws IOException {
		exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
		exchange.getResponseHeaders().set("Pragma", "no-cache");
		json(exchange, status, body);
	}

	static void html(HttpExchange exchange, int status, String page) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
		exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
		send(exchange, status, page.getBytes(StandardCharsets.UTF_8));
	}

	static void text(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		send(exchange, status, body);
	}

	static void redirect(HttpExchange exchange, int status, String location) throws IOException {
		exchange.getResponseHeaders().set("Location", location);
		exchange.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			exchange.getResponseBody().write(body);
		}
		exchange.close();
	}

	static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	static String unescape(String text) {
		return text.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&quot;", "\"")
			.replace("&#39;", "'")
			.replace("&#x27;", "'")
			.replace("&amp;", "&");
	}

}
