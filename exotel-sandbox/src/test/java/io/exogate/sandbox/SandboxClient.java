package io.exogate.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/** A plain HTTP client for tests, speaking to a sandbox as the demo account's integrator would. */
final class SandboxClient {

	static final String ACCOUNT = "exogate-demo";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	SandboxClient(Sandbox sandbox) {
		this.baseUrl = sandbox.baseUrl();
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	HttpResponse<String> v1(String pathAndQuery) {
		return get("/v1/Accounts/" + ACCOUNT + pathAndQuery, basic("demo-key", "demo-token"));
	}

	HttpResponse<String> v3(String pathAndQuery) {
		return get("/v3/accounts/" + ACCOUNT + pathAndQuery, basic("demo-key", "demo-token"));
	}

	HttpResponse<String> v3Post(String path, String json) {
		return send(HttpRequest.newBuilder(uri("/v3/accounts/" + ACCOUNT + path))
			.header("Authorization", basic("demo-key", "demo-token"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	HttpResponse<String> v4(String pathAndQuery) {
		return get("/v4/accounts/" + ACCOUNT + pathAndQuery, "Bearer demo-v4-token");
	}

	HttpResponse<String> get(String pathAndQuery, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request);
	}

	HttpResponse<String> admin(String method, String path, String json) {
		return send(HttpRequest.newBuilder(uri("/__sandbox/" + path))
			.header("Content-Type", "application/json")
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody()));
	}

	HttpResponse<byte[]> bytes(String absoluteUrl, String range, String method, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(absoluteUrl))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (range != null) {
			request.header("Range", range);
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return Json.read(response.body());
	}

	URI uri(String pathAndQuery) {
		return URI.create(this.baseUrl + pathAndQuery);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
