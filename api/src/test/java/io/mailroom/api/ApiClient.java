package io.mailroom.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An HTTP client of the api over a real socket, as a product's backend or admin UI would call it. */
final class ApiClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	private final Map<String, String> headers;

	ApiClient(String baseUrl, Map<String, String> headers) {
		this.baseUrl = baseUrl;
		this.headers = Map.copyOf(headers);
	}

	/** A client with one more header. */
	ApiClient with(String name, String value) {
		Map<String, String> more = new LinkedHashMap<>(headers);
		more.put(name, value);
		return new ApiClient(baseUrl, more);
	}

	Response get(String path) {
		return send(request(path).GET());
	}

	Response post(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
	}

	Response put(String path, Object body) {
		return send(request(path).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
	}

	Response delete(String path) {
		return send(request(path).DELETE());
	}

	/** Any request, e.g. a form post. */
	Response send(HttpRequest.Builder request) {
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request to the api failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path));
	}

	/** What the api answered. */
	record Response(int status, Map<String, java.util.List<String>> headers, String body) {

		JsonNode json() {
			return JSON.readTree(body);
		}

		String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.map(entry -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		@Override
		public String toString() {
			return status + " " + body;
		}

	}

}
