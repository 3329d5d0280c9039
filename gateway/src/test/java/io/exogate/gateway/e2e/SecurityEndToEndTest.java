package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.LoadSupport.Answer;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP face of security in the packaged wiring: each client's requests per minute held across
 * instances through Redis, CORS only for configured origins, security headers, introspection off
 * outside demo mode, and no answer that echoes an untrusted {@code Host}.
 */
class SecurityEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(50).build());

	static final String TIGHT_KEY = io.exogate.gateway.TestSecrets.register("tight-tenant-key-0c4d");

	static final String OTHER_KEY = TestSecrets.register("second-client-key-9c1e");

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	private static Map<String, String> settings(int requestsPerMinute) {
		Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token",
				"demo-v4-token", 100_000));
		settings.put("exogate.security.tenants[0].id", "test");
		settings.put("exogate.security.tenants[0].accounts[0]", E2eSupport.ACCOUNT);
		settings.put("exogate.security.tenants[0].api-keys[0]", E2eSupport.KEY_HASH);
		settings.put("exogate.security.tenants[0].api-keys[1]", "sha256:" + E2eSupport.sha256(OTHER_KEY));
		settings.put("exogate.security.tenants[0].requests-per-minute", String.valueOf(requestsPerMinute));
		settings.put("exogate.security.cors-allowed-origins[0]", "https://dashboard.example");
		return settings;
	}

	@Test
	void aClientsRequestsPerMinuteHoldAcrossInstancesSharingRedisAndOtherClientsKeepTheirs() throws Exception {
		HttpClient http = LoadSupport.http();
		try (TestRedis redis = TestRedis.startOwned()) {
			Map<String, String> settings = settings(4);
			settings.put("exogate.cache.redis-url", redis.url());
			try (ConfigurableApplicationContext first = LoadSupport.gateway(settings);
					ConfigurableApplicationContext second = LoadSupport.gateway(settings)) {
				int[] ports = { LoadSupport.port(first), LoadSupport.port(second) };
				List<Answer> answers = new ArrayList<>();
				for (int i = 0; i < 6; i++) {
					answers.add(LoadSupport.post(http, ports[i % 2], "{ accounts { sid } }").get());
				}
				assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 200, 200, 429, 429);
				Answer refused = answers.get(4);
				assertThat(refused.codes()).containsExactly("RATE_LIMITED");
				assertThat(refused.errors().get(0).path("extensions").path("retryAfterSeconds").asLong()).isBetween(1L, 60L);
				HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/graphql"))
					.header("Content-Type", "application/json")
					.header("X-API-Key", OTHER_KEY)
					.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body("{ accounts { sid } }")))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(other.statusCode()).as("another client of the tenant has its own allowance").isEqualTo(200);
				HttpResponse<String> limited = http.send(LoadSupport.request(ports[1], "{ accounts { sid } }"),
						HttpResponse.BodyHandlers.ofString());
				assertThat(limited.statusCode()).isEqualTo(429);
				assertThat(limited.headers().firstValue("Retry-After")).isPresent();
			}
		}
	}

	@Test
	void corsAnswersOnlyConfiguredOriginsAndAnswersCarrySecurityHeaders() throws Exception {
		HttpClient http = LoadSupport.http();
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings(1000))) {
			int port = LoadSupport.port(gateway);
			HttpResponse<String> allowed = http.send(preflight(port, "https://dashboard.example"), HttpResponse.BodyHandlers.ofString());
			assertThat(allowed.statusCode()).isEqualTo(200);
			assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dashboard.example");
			assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("x-api-key");
			HttpResponse<String> refused = http.send(preflight(port, "https://evil.example"), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
			HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
				.header("Origin", "https://evil.example")
				.header("Content-Type", "application/json")
				.header(E2eSupport.KEY_HEADER, E2eSupport.KEY)
				.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body("{ accounts { sid } }")))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(foreign.statusCode()).isEqualTo(403);
			assertThat(foreign.body()).contains("\"code\":\"CORS_ORIGIN_NOT_ALLOWED\"");

			HttpResponse<String> answer = http.send(LoadSupport.request(port, "{ accounts { sid } }"), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
			assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValueSatisfying((policy) -> assertThat(policy)
				.startsWith("default-src 'none'").contains("frame-ancestors 'none'"));
			HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphiql")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying((policy) -> assertThat(policy)
				.contains("connect-src 'self';")
				.contains("script-src 'self';")
				.doesNotContain("unsafe-inline")
				.doesNotContain("unsafe-eval")
				.doesNotContain("https:"));
			HttpResponse<String> settings = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphiql/settings.json")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(settings.body()).as("outside demo mode the page carries no key").contains("\"X-API-Key\":\"\"");
		}
	}

	@Test
	void aTenantsOwnLimitsTightenTheGatewaysForItsCallersOnly() throws Exception {
		HttpClient http = LoadSupport.http();
		Map<String, String> settings = settings(1000);
		settings.putAll(LoadSupport.account(1, sandbox, "exogate-demo-2", "demo2-key", "demo2-token", "demo2-v4-token", 100_000));
		settings.put("exogate.security.tenants[1].id", "tight");
		settings.put("exogate.security.tenants[1].accounts[0]", "exogate-demo-2");
		settings.put("exogate.security.tenants[1].api-keys[0]", "sha256:" + E2eSupport.sha256(TIGHT_KEY));
		settings.put("exogate.security.tenants[1].limits.max-body-size", "1KB");
		settings.put("exogate.security.tenants[1].limits.max-aliases", "2");
		settings.put("exogate.security.tenants[1].limits.max-depth", "4");
		settings.put("exogate.security.tenants[1].limits.max-fields", "500000");
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
			int port = LoadSupport.port(gateway);
			String aliases = "{ a: accounts { sid } b: accounts { sid } c: accounts { sid } }";
			String deep = "{ calls(first: 1) { edges { node { legs { id } } } } }";
			String padded = "{ accounts { sid } }" + " ".repeat(1500);
			assertThat(post(http, port, E2eSupport.KEY, aliases).codes()).as("the gateway's limits").isEmpty();
			assertThat(post(http, port, E2eSupport.KEY, deep).codes()).doesNotContain("QUERY_TOO_COMPLEX");
			assertThat(post(http, port, E2eSupport.KEY, padded).status()).isEqualTo(200);

			Answer tooManyAliases = post(http, port, TIGHT_KEY, aliases);
			assertThat(tooManyAliases.codes()).containsExactly("QUERY_TOO_COMPLEX");
			assertThat(tooManyAliases.errors().get(0).path("extensions").path("maxAliases").asInt()).isEqualTo(2);
			Answer tooDeep = post(http, port, TIGHT_KEY, deep);
			assertThat(tooDeep.codes()).containsExactly("QUERY_TOO_COMPLEX");
			assertThat(tooDeep.errors().get(0).path("extensions").path("maxDepth").asInt()).isEqualTo(4);
			Answer tooLarge = post(http, port, TIGHT_KEY, padded);
			assertThat(tooLarge.status()).isEqualTo(413);
			assertThat(tooLarge.codes()).containsExactly("PAYLOAD_TOO_LARGE");
			assertThat(tooLarge.errors().get(0).path("message").asString()).contains("1024 bytes");
			assertThat(post(http, port, TIGHT_KEY, "{ accounts { sid } }").codes()).as("within its limits").isEmpty();
		}
	}

	private static Answer post(HttpClient http, int port, String key, String query) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.header(E2eSupport.KEY_HEADER, key)
			.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body(query)))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), LoadSupport.JSON.readTree(response.body()), java.time.Duration.ZERO);
	}

	@Test
	void refusalsCarryTheSecurityHeadersAndAnonymousCallersAreRefusedBeforeTheirRequestIsRead() throws Exception {
		HttpClient http = LoadSupport.http();
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings(1000))) {
			int port = LoadSupport.port(gateway);
			URI graphql = URI.create("http://127.0.0.1:" + port + "/graphql");
			Map<String, HttpRequest> anonymous = Map.of(
					"GET", HttpRequest.newBuilder(graphql).GET().build(),
					"text/plain", HttpRequest.newBuilder(graphql).header("Content-Type", "text/plain")
						.POST(HttpRequest.BodyPublishers.ofString("{")).build(),
					"too large", HttpRequest.newBuilder(graphql).header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("x".repeat(200_000))).build(),
					"key in URL", HttpRequest.newBuilder(URI.create(graphql + "?api_key=" + E2eSupport.KEY)).header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body("{ accounts { sid } }"))).build());
			for (Map.Entry<String, HttpRequest> request : anonymous.entrySet()) {
				HttpResponse<String> response = http.send(request.getValue(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(request.getKey()).isEqualTo(401);
				assertThat(response.body()).as(request.getKey()).contains("\"code\":\"UNAUTHENTICATED\"");
				assertSecurityHeaders(response, request.getKey());
			}
			Map<String, HttpRequest> refused = Map.of(
					"405", HttpRequest.newBuilder(graphql).header(E2eSupport.KEY_HEADER, E2eSupport.KEY).GET().build(),
					"415", HttpRequest.newBuilder(graphql).header(E2eSupport.KEY_HEADER, E2eSupport.KEY).header("Content-Type", "text/plain")
						.POST(HttpRequest.BodyPublishers.ofString("{")).build(),
					"413", HttpRequest.newBuilder(graphql).header(E2eSupport.KEY_HEADER, E2eSupport.KEY).header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("x".repeat(200_000))).build(),
					"400", HttpRequest.newBuilder(URI.create(graphql + ";v=1")).header(E2eSupport.KEY_HEADER, E2eSupport.KEY)
						.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("")).build());
			for (Map.Entry<String, HttpRequest> request : refused.entrySet()) {
				HttpResponse<String> response = http.send(request.getValue(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(request.getKey()).isEqualTo(Integer.parseInt(request.getKey()));
				assertThat(response.body()).as(request.getKey()).contains("\"extensions\":{\"code\":");
				assertSecurityHeaders(response, request.getKey());
			}
		}
	}

	private static void assertSecurityHeaders(HttpResponse<String> response, String about) {
		assertThat(response.headers().firstValue("X-Content-Type-Options")).as(about).hasValue("nosniff");
		assertThat(response.headers().firstValue("Referrer-Policy")).as(about).hasValue("no-referrer");
		assertThat(response.headers().firstValue("Content-Security-Policy")).as(about).hasValueSatisfying((policy) -> assertThat(policy)
			.startsWith("default-src 'none'"));
	}

	@Test
	void introspectionIsOffOutsideDemoModeAndNoAnswerEchoesAnUntrustedHost() throws Exception {
		HttpClient http = LoadSupport.http();
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings(1000))) {
			int port = LoadSupport.port(gateway);
			Answer schema = LoadSupport.post(http, port, "{ __schema { queryType { name } } }").get();
			assertThat(schema.codes()).containsExactly("INTROSPECTION_DISABLED");
			Answer typename = LoadSupport.post(http, port, "{ __typename accounts { sid } }").get();
			assertThat(typename.errors()).isEmpty();

			String host = "evil.example";
			List<String> paths = List.of("/graphiql", "/graphiql/", "/graphql", "/actuator", "/actuator/", "/actuator/health",
					"/nowhere", "/actuator/info");
			for (String path : paths) {
				for (boolean withKey : new boolean[] { true, false }) {
					String response = raw(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Forwarded-Host: " + host
							+ "\r\nX-Forwarded-Proto: https\r\n" + (withKey ? "X-API-Key: " + E2eSupport.KEY + "\r\n" : "")
							+ "Connection: close\r\n\r\n");
					assertThat(response).as("GET %s", path).isNotBlank().doesNotContain(host);
				}
			}
		}
	}

	private static HttpRequest preflight(int port, String origin) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type,x-api-key")
			.build();
	}

	/** A whole HTTP/1.1 exchange over a socket, so that {@code Host} is what the test says. */
	private static String raw(int port, String request) throws Exception {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

}
