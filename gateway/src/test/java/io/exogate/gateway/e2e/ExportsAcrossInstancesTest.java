package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.export.ExportStore;
import io.exogate.gateway.export.RedisExportStore;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Two gateways on one Redis: an export requested on the first, whose Exotel callback reaches the
 * first, is followed on the second (subscription and query), and its result is forwarded once.
 */
class ExportsAcrossInstancesTest {

	@Test
	void anExportRequestedOnOneInstanceIsFollowedOnTheOther() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		DisposableServer receiver = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/hooks/exports", (request, response) -> request.receive()
				.aggregate()
				.asString()
				.doOnNext(received::add)
				.then(response.status(200).send())))
			.bindNow();
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(10)
			.exportDelay(Duration.ofSeconds(5)).build()); TestRedis redis = TestRedis.startOwned()) {
			Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token",
					"demo-v4-token", 200));
			settings.put("exogate.exotel.accounts[0].callback-secret", E2eSupport.CALLBACK_SECRET);
			settings.put("exogate.cache.redis-url", redis.url());
			settings.put("exogate.security.tenants[0].id", "test");
			settings.put("exogate.security.tenants[0].accounts[0]", E2eSupport.ACCOUNT);
			settings.put("exogate.security.tenants[0].api-keys[0]", E2eSupport.KEY_HASH);
			settings.put("exogate.security.tenants[0].export-callbacks[0]", "http://127.0.0.1:" + receiver.port() + "/hooks/");
			settings.put("exogate.security.tenants[0].allow-private-callbacks", "true");
			try (ConfigurableApplicationContext first = LoadSupport.gateway(settings);
					ConfigurableApplicationContext second = LoadSupport.gateway(settings)) {
				assertThat(second.getBean(ExportStore.class)).isInstanceOf(RedisExportStore.class);
				Instant now = Instant.now();
				String id = E2eSupport.tester(LoadSupport.port(first))
					.document("mutation($input: RecordingExportInput!) { requestRecordingExport(input: $input) { export { id } } }")
					.variable("input", Map.of("from", now.minus(Duration.ofDays(20)).toString(), "to", now.toString(), "callbackUrl",
							"http://127.0.0.1:" + receiver.port() + "/hooks/exports"))
					.execute()
					.errors().verify()
					.path("requestRecordingExport.export.id").entity(String.class).get();

				String path = second.getEnvironment().getRequiredProperty("spring.graphql.websocket.path");
				CompletableFuture<List<Map<String, Object>>> followed = CompletableFuture
					.supplyAsync(() -> WebhookSupport.subscribeToExport(LoadSupport.port(second), path, id));
				List<Map<String, Object>> emitted = followed.get(60, TimeUnit.SECONDS);
				assertThat(emitted).extracting((export) -> export.get("status")).containsExactly("PROCESSING", "READY");

				Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> E2eSupport.tester(LoadSupport.port(second))
					.document("query($id: ID!) { recordingExport(id: $id) { status delivery { status attempts } } }")
					.variable("id", id)
					.execute()
					.errors().verify()
					.path("recordingExport.status").entity(String.class).isEqualTo("READY")
					.path("recordingExport.delivery.status").entity(String.class).isEqualTo("DELIVERED"));
				assertThat(received).as("the result is forwarded once, by one instance").hasSize(1);
			}
		}
		finally {
			receiver.disposeNow();
		}
	}

}
