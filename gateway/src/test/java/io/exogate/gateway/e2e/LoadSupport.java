package io.exogate.gateway.e2e;

import io.exogate.gateway.ExogateApplication;
import io.exogate.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the load tests share: the gateway started as the packaged application, call SIDs read from
 * the sandbox's v1 API, and GraphQL POSTs over plain HTTP with how long each took.
 */
final class LoadSupport {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private LoadSupport() {
	}

	/** The application as {@code java -jar exogate.jar} starts it, on a free port, with these {@code --name=value} arguments. */
	static ConfigurableApplicationContext gateway(Map<String, String> properties) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		args.add("--server.address=127.0.0.1");
		args.add("--spring.main.banner-mode=off");
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		if (properties.keySet().stream().noneMatch((name) -> name.startsWith("exogate.security.tenants"))) {
			// One tenant over every account, the tests' key, and no client limit: the tests load the gateway on purpose.
			args.add("--exogate.security.tenants[0].id=test");
			args.add("--exogate.security.tenants[0].api-keys[0]=" + E2eSupport.KEY_HASH);
			args.add("--exogate.security.tenants[0].requests-per-minute=1000000");
			properties.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().matches("exogate\\.exotel\\.accounts\\[\\d+\\]\\.sid"))
				.sorted(Map.Entry.comparingByKey())
				.forEach((entry) -> args.add("--exogate.security.tenants[0].accounts[" + entry.getKey().replaceAll("\\D", "")
						+ "]=" + entry.getValue()));
			args.add("--exogate.security.tenants[0].default-account=" + E2eSupport.ACCOUNT);
		}
		return new SpringApplicationBuilder(ExogateApplication.class).run(args.toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext gateway) {
		return Integer.parseInt(gateway.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** Settings pointing account {@code index} at the sandbox with its demo credentials. */
	static Map<String, String> account(int index, Sandbox sandbox, String sid, String key, String token, String v4Token,
			int requestsPerMinute) {
		String prefix = "exogate.exotel.accounts[" + index + "].";
		return Map.of(prefix + "sid", sid, prefix + "api-key", key, prefix + "api-token", token, prefix + "v4-token", v4Token,
				prefix + "base-urls.v1", sandbox.baseUrl(), prefix + "base-urls.v3", sandbox.baseUrl(),
				prefix + "base-urls.v4", sandbox.baseUrl(), prefix + "requests-per-minute", String.valueOf(requestsPerMinute));
	}

	/** Up to 100 SIDs of the account's recent calls, asked of the sandbox's v1 API directly (one sandbox request). */
	static List<String> callSids(HttpClient http, Sandbox sandbox, String account, String key, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/v1/Accounts/" + account + "/Calls.json?PageSize=100"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((key + ":" + token).getBytes(StandardCharsets.UTF_8)))
			.build();
		HttpResponse<String> response = send(http, request);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("The sandbox listed no calls: " + response.statusCode() + " " + response.body());
		}
		List<String> sids = new ArrayList<>();
		JSON.readTree(response.body()).path("Calls").values().forEach((call) -> sids.add(call.path("Sid").asString()));
		return sids;
	}

	/** One GraphQL answer over HTTP. */
	record Answer(int status, JsonNode body, Duration took) {

		JsonNode data(String field) {
			return this.body.path("data").path(field);
		}

		List<JsonNode> errors() {
			return List.copyOf(this.body.path("errors").values());
		}

		/** The codes of the errors, in order. */
		List<String> codes() {
			return errors().stream().map((error) -> error.path("extensions").path("code").asString("")).toList();
		}

		@Override
		public String toString() {
			return this.status + " in " + this.took.toMillis() + " ms: " + this.body;
		}

	}

	static CompletableFuture<Answer> post(HttpClient http, int port, String query) {
		long started = System.nanoTime();
		return http.sendAsync(request(port, query), HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Answer(response.statusCode(), JSON.readTree(response.body()),
					Duration.ofNanos(System.nanoTime() - started)));
	}

	static HttpRequest request(int port, String query) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header(E2eSupport.KEY_HEADER, E2eSupport.KEY)
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body(query)))
			.build();
	}

	static String body(String query) {
		return JSON.writeValueAsString(Map.of("query", query));
	}

	static HttpClient http() {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
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
