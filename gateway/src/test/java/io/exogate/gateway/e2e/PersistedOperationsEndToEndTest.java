package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.LoadSupport.Answer;
import io.exogate.gateway.e2e.RawGraphQlWebSocket.Outcome;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Persisted operations in the packaged wiring: an automatic persisted query registered, kept in
 * Redis under its tenant and run by hash alone; and a trusted-documents gateway that runs its
 * manifest's operations and refuses every other, over HTTP and over the WebSocket.
 */
class PersistedOperationsEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(50).build());

	static final String QUERY = "query Accounts { accounts { sid sandbox } }";

	static final String OTHER_KEY = TestSecrets.register("other-tenant-key-51aa");

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	private static Map<String, String> settings() {
		Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token",
				"demo-v4-token", 100_000));
		settings.putAll(LoadSupport.account(1, sandbox, "exogate-demo-2", "demo2-key", "demo2-token", "demo2-v4-token", 100_000));
		settings.put("exogate.security.tenants[0].id", "test");
		settings.put("exogate.security.tenants[0].accounts[0]", E2eSupport.ACCOUNT);
		settings.put("exogate.security.tenants[0].api-keys[0]", E2eSupport.KEY_HASH);
		settings.put("exogate.security.tenants[1].id", "other");
		settings.put("exogate.security.tenants[1].accounts[0]", "exogate-demo-2");
		settings.put("exogate.security.tenants[1].api-keys[0]", "sha256:" + E2eSupport.sha256(OTHER_KEY));
		return settings;
	}

	@Test
	void anAutomaticPersistedQueryIsRegisteredKeptInRedisPerTenantAndRunByHash() throws Exception {
		HttpClient http = LoadSupport.http();
		String hash = E2eSupport.sha256(QUERY);
		String byHash = "{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}}";
		String withQuery = "{\"query\":\"" + QUERY + "\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash
				+ "\"}}}";
		try (TestRedis redis = TestRedis.startOwned()) {
			Map<String, String> settings = settings();
			settings.put("exogate.cache.redis-url", redis.url());
			try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings);
					RedisClient client = RedisClient.create(redis.url());
					StatefulRedisConnection<String, String> connection = client.connect()) {
				int port = LoadSupport.port(gateway);
				Answer miss = post(http, port, E2eSupport.KEY, byHash);
				assertThat(miss.status()).isEqualTo(200);
				assertThat(miss.codes()).containsExactly("PERSISTED_QUERY_NOT_FOUND");
				assertThat(miss.errors().get(0).path("message").asString()).isEqualTo("PersistedQueryNotFound");

				Answer registered = post(http, port, E2eSupport.KEY, withQuery);
				assertThat(registered.errors()).isEmpty();
				assertThat(registered.data("accounts").get(0).path("sid").asString()).isEqualTo(E2eSupport.ACCOUNT);
				assertThat(connection.sync().get("exogate:apq:test:" + hash)).isEqualTo(QUERY);
				assertThat(connection.sync().pttl("exogate:apq:test:" + hash)).isPositive();

				Answer hit = post(http, port, E2eSupport.KEY, byHash);
				assertThat(hit.errors()).isEmpty();
				assertThat(hit.data("accounts").get(0).path("sid").asString()).isEqualTo(E2eSupport.ACCOUNT);

				Answer otherTenant = post(http, port, OTHER_KEY, byHash);
				assertThat(otherTenant.codes()).as("another tenant never runs this tenant's registrations")
					.containsExactly("PERSISTED_QUERY_NOT_FOUND");
				assertThat(connection.sync().keys("exogate:apq:other:*")).isEmpty();

				Answer anonymous = post(http, port, null, byHash);
				assertThat(anonymous.status()).isEqualTo(401);
				assertThat(anonymous.codes()).containsExactly("UNAUTHENTICATED");
			}
		}
	}

	@Test
	void aTrustedDocumentsGatewayRunsItsManifestAndRefusesEveryOtherOperation() throws Exception {
		HttpClient http = LoadSupport.http();
		Map<String, String> settings = settings();
		settings.put("exogate.persisted-queries.trusted-documents", "classpath:persisted/trusted.json");
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
			int port = LoadSupport.port(gateway);
			Answer trusted = post(http, port, E2eSupport.KEY,
					"{\"documentId\":\"sha256:41a8e75f4cf487a5a74582b3565c3cd60a8436e465e2386468c4200d0cfdbeb3\"}");
			assertThat(trusted.errors()).isEmpty();
			assertThat(trusted.data("accounts").get(0).path("sid").asString()).isEqualTo(E2eSupport.ACCOUNT);

			long before = E2eSupport.apiRequests(sandbox);
			Answer free = post(http, port, E2eSupport.KEY, LoadSupport.body("{ calls(first: 5) { edges { node { sid } } } }"));
			assertThat(free.status()).isEqualTo(400);
			assertThat(free.codes()).containsExactly("OPERATION_NOT_TRUSTED");
			Answer unknown = post(http, port, E2eSupport.KEY, "{\"documentId\":\"" + "0".repeat(64) + "\"}");
			assertThat(unknown.status()).isEqualTo(400);
			assertThat(unknown.codes()).containsExactly("OPERATION_NOT_TRUSTED");
			assertThat(E2eSupport.apiRequests(sandbox)).as("nothing reached Exotel").isEqualTo(before);
		}
	}

	@Test
	void overTheWebSocketATrustedDocumentsGatewayRunsOnlyTheManifestsDocuments() {
		Map<String, String> settings = settings();
		settings.put("exogate.persisted-queries.trusted-documents", "classpath:persisted/trusted.json");
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
			int port = LoadSupport.port(gateway);
			RawGraphQlWebSocket socket = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY));
			long before = E2eSupport.apiRequests(sandbox);
			String hash = E2eSupport.sha256(QUERY);
			Outcome outcome = socket.subscribe(port, List.of(
					Map.of("query", "{ calls(first: 5) { edges { node { sid } } } }"),
					Map.of("query", "subscription { calls(first: 5) { edges { node { sid } } } }"),
					Map.of("query", "{ calls(first: 5) { edges { node { sid } } } }",
							"extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash))),
					Map.of("query", QUERY),
					Map.of("query", QUERY, "extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)))));
			assertThat(outcome.types()).containsExactly("connection_ack", "next", "complete", "next", "complete", "next", "complete",
					"next", "complete", "next", "complete");
			List<JsonNode> results = outcome.results();
			assertThat(results.subList(0, 3)).as("a document not in the manifest is refused, whatever hash is named beside it")
				.allSatisfy((refused) -> {
					assertThat(refused.at("/errors/0/extensions/code").asString()).isEqualTo("OPERATION_NOT_TRUSTED");
					assertThat(refused.at("/errors/0/message").asString())
						.isEqualTo("this gateway runs trusted documents only: send a documentId from its manifest");
					assertThat(refused.has("data")).isFalse();
				});
			assertThat(E2eSupport.apiRequests(sandbox)).as("nothing reached Exotel").isEqualTo(before);
			assertThat(results.subList(3, 5)).allSatisfy((ran) -> {
				assertThat(ran.has("errors")).isFalse();
				assertThat(ran.at("/data/accounts/0/sid").asString()).isEqualTo(E2eSupport.ACCOUNT);
			});

			// Spring for GraphQL takes a subscribe only with its document in "query": one naming it by hash alone ends the connection.
			Outcome byId = socket.subscribe(port, List.of(Map.of("documentId", "sha256:" + hash)));
			assertThat(byId.types()).containsExactly("connection_ack");
			assertThat(byId.close()).isNotNull();
			assertThat(E2eSupport.apiRequests(sandbox)).isEqualTo(before);
		}
	}

	private static Answer post(HttpClient http, int port, String key, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (key != null) {
			request.header(E2eSupport.KEY_HEADER, key);
		}
		long started = System.nanoTime();
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), LoadSupport.JSON.readTree(response.body()), Duration.ofNanos(System.nanoTime() - started));
	}

}
