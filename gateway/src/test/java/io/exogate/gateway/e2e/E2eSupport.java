package io.exogate.gateway.e2e;

import io.exogate.gateway.TestSecrets;
import io.exogate.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Wiring shared by the end-to-end tests: the gateway pointed at a sandbox, and a GraphQL client over HTTP. */
final class E2eSupport {

	static final String ACCOUNT = "exogate-demo";

	/** The API key the tests' tenant {@code test} accepts, and its configured hash. */
	static final String KEY = TestSecrets.register("test-client-key-5b7d1c");

	static final String KEY_HASH = "sha256:" + sha256(KEY);

	static final String KEY_HEADER = "X-API-Key";

	/** The secret Exotel's callbacks for {@link #ACCOUNT} carry. */
	static final String CALLBACK_SECRET = TestSecrets.register("test-callback-secret-3f9a2c71");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private E2eSupport() {
	}

	static void pointAt(Sandbox sandbox, String redisUrl, DynamicPropertyRegistry registry) {
		TestSecrets.register(sandbox.settings().signingKey());
		registry.add("exogate.exotel.accounts[0].sid", () -> ACCOUNT);
		registry.add("exogate.exotel.accounts[0].api-key", () -> "demo-key");
		registry.add("exogate.exotel.accounts[0].api-token", () -> "demo-token");
		registry.add("exogate.exotel.accounts[0].v4-token", () -> "demo-v4-token");
		registry.add("exogate.exotel.accounts[0].base-urls.v1", sandbox::baseUrl);
		registry.add("exogate.exotel.accounts[0].base-urls.v3", sandbox::baseUrl);
		registry.add("exogate.exotel.accounts[0].base-urls.v4", sandbox::baseUrl);
		registry.add("exogate.exotel.accounts[0].callback-secret", () -> CALLBACK_SECRET);
		registry.add("exogate.exotel.resilience.max-attempts", () -> "1");
		registry.add("exogate.security.tenants[0].id", () -> "test");
		registry.add("exogate.security.tenants[0].accounts[0]", () -> ACCOUNT);
		registry.add("exogate.security.tenants[0].api-keys[0]", () -> KEY_HASH);
		registry.add("exogate.security.tenants[0].requests-per-minute", () -> "1000000");
		registry.add("exogate.security.tenants[0].export-callbacks[0]", () -> "http://127.0.0.1:9/");
		registry.add("exogate.security.tenants[0].allow-private-callbacks", () -> "true");
		if (redisUrl != null) {
			registry.add("exogate.cache.redis-url", () -> redisUrl);
		}
	}

	/** The sandbox's second account, {@code exogate-demo-2}, as {@code exogate.exotel.accounts[1]} (no tenant). */
	static void secondAccount(Sandbox sandbox, DynamicPropertyRegistry registry) {
		registry.add("exogate.exotel.accounts[1].sid", () -> "exogate-demo-2");
		registry.add("exogate.exotel.accounts[1].api-key", () -> "demo2-key");
		registry.add("exogate.exotel.accounts[1].api-token", () -> "demo2-token");
		registry.add("exogate.exotel.accounts[1].v4-token", () -> "demo2-v4-token");
		registry.add("exogate.exotel.accounts[1].base-urls.v1", sandbox::baseUrl);
		registry.add("exogate.exotel.accounts[1].base-urls.v3", sandbox::baseUrl);
		registry.add("exogate.exotel.accounts[1].base-urls.v4", sandbox::baseUrl);
	}

	static HttpGraphQlTester tester(int port) {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port + "/graphql")
			.defaultHeader(KEY_HEADER, KEY)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
		return HttpGraphQlTester.create(client);
	}

	/**
	 * A playback signing key of 32 bytes of {@code fill}. Kept here, not in a test class, so that using it
	 * starts no other test class's sandbox.
	 */
	static byte[] playbackKey(char fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return key;
	}

	static String sha256(String value) {
		try {
			return java.util.HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An HTTP answer: its status and body, with the body's GraphQL parts read. */
	record Answer(int status, String body) {

		private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

		@SuppressWarnings("unchecked")
		Map<String, Object> json() {
			return JSON.readValue(this.body, Map.class);
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> data() {
			return (Map<String, Object>) json().get("data");
		}

		@SuppressWarnings("unchecked")
		java.util.List<Map<String, Object>> errors() {
			return (java.util.List<Map<String, Object>>) json().getOrDefault("errors", java.util.List.of());
		}

	}

	/** Requests that reached Exotel's APIs (media downloads and refusals not counted). */
	static long apiRequests(Sandbox sandbox) {
		return sandbox.stats()
			.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals("media") && !entry.getKey().equals("rate_limited"))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	static void faults(Sandbox sandbox, String method, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/__sandbox/faults"))
			.header("Content-Type", "application/json")
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("The sandbox refused the faults: " + response.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The status a HEAD of the media URL answers. */
	static int head(String url) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
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
