package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.E2eSupport.Answer;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A recording export from request to Exotel's callback (the sandbox's, to the gateway's webhook) to
 * {@code Query.recordingExport}, the subscription, and the client's own callback, over real HTTP and
 * WebSocket; another tenant's id is NOT_FOUND as an unknown one is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportWebhookEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(20)
		.exportDelay(Duration.ofSeconds(4)).build());

	static final String OTHER_KEY = TestSecrets.register("other-tenant-key-41d7e2");

	static final String RECEIVER_SECRET = TestSecrets.register("receiver-token-8c1e5a0b");

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final List<String> received = new CopyOnWriteArrayList<>();

	/** The client's own callback receiver. */
	static final DisposableServer receiver = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes.post("/hooks/exports", (request, response) -> request.receive()
			.aggregate()
			.asString()
			.doOnNext((body) -> received.add(request.uri() + " " + body))
			.then(response.status(200).send())))
		.bindNow();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		registry.add("exogate.security.tenants[0].export-callbacks[1]", () -> "http://127.0.0.1:" + receiver.port() + "/hooks/");
		registry.add("exogate.security.tenants[1].id", () -> "other");
		registry.add("exogate.security.tenants[1].accounts[0]", () -> E2eSupport.ACCOUNT);
		registry.add("exogate.security.tenants[1].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(OTHER_KEY));
		registry.add("exogate.security.tenants[1].export-callbacks[0]", () -> "http://127.0.0.1:" + receiver.port() + "/hooks/");
		registry.add("exogate.security.tenants[1].allow-private-callbacks", () -> "true");
	}

	@AfterAll
	static void stop() {
		sandbox.close();
		receiver.disposeNow();
	}

	@LocalServerPort
	int port;

	@Value("${spring.graphql.websocket.path}")
	String webSocketPath;

	@Test
	void anExportGoesFromRequestToCallbackToQuerySubscriptionAndTheClientsCallback() {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		Instant now = Instant.now();
		String callback = "http://127.0.0.1:" + receiver.port() + "/hooks/exports?token=" + RECEIVER_SECRET;
		String id = graphQl.document("""
				mutation($input: RecordingExportInput!) {
				  requestRecordingExport(input: $input) { export { id account status callbackUrl delivery { status attempts } } }
				}""")
			.variable("input", Map.of("from", now.minus(Duration.ofDays(30)).toString(), "to", now.toString(), "callbackUrl", callback))
			.execute()
			.errors().verify()
			.path("requestRecordingExport.export.status").entity(String.class).isEqualTo("PROCESSING")
			.path("requestRecordingExport.export.account").entity(String.class).isEqualTo(E2eSupport.ACCOUNT)
			.path("requestRecordingExport.export.callbackUrl").entity(String.class).isEqualTo(callback)
			.path("requestRecordingExport.export.delivery.status").entity(String.class).isEqualTo("WAITING")
			.path("requestRecordingExport.export.id").entity(String.class).get();

		// The subscription: the state now, then each status change, then complete.
		List<Map<String, Object>> emitted = WebhookSupport.subscribeToExport(this.port, this.webSocketPath, id);
		assertThat(emitted).extracting((export) -> export.get("status")).containsExactly("PROCESSING", "READY");
		assertThat(emitted.get(1).get("downloadUrl")).asString().startsWith(sandbox.baseUrl() + "/exports/");

		// The client's own callback receives the result, once.
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
		assertThat(received).singleElement().satisfies((post) -> {
			assertThat(post).startsWith("/hooks/exports?token=" + RECEIVER_SECRET + " ");
			Map<?, ?> body = JSON.readValue(post.substring(post.indexOf(' ') + 1), Map.class);
			assertThat(body.get("exportId")).isEqualTo(id);
			assertThat(body.get("status")).isEqualTo("READY");
			assertThat(body.get("downloadUrl")).isEqualTo(emitted.get(1).get("downloadUrl"));
			assertThat(body.get("account")).isEqualTo(E2eSupport.ACCOUNT);
		});

		// The query shows the final state, delivery included.
		Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> graphQl
			.document("query($id: ID!) { recordingExport(id: $id) { id status downloadUrl recordingCount delivery { status attempts } } }")
			.variable("id", id)
			.execute()
			.errors().verify()
			.path("recordingExport.status").entity(String.class).isEqualTo("READY")
			.path("recordingExport.downloadUrl").entity(String.class).isEqualTo((String) emitted.get(1).get("downloadUrl"))
			.path("recordingExport.delivery.status").entity(String.class).isEqualTo("DELIVERED")
			.path("recordingExport.delivery.attempts").entity(Integer.class).isEqualTo(1));

		// Exotel's callback again: a duplicate changes nothing, nothing is forwarded again.
		String again = "{\"export_id\":\"" + id + "\",\"status\":\"failed\"}";
		assertThat(WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", E2eSupport.CALLBACK_SECRET, "application/json", again)
			.status()).isEqualTo(204);
		graphQl.document("query($id: ID!) { recordingExport(id: $id) { status } }").variable("id", id).execute()
			.path("recordingExport.status").entity(String.class).isEqualTo("READY");
		assertThat(received).hasSize(1);

		// Another tenant's id answers exactly as an unknown one.
		HttpGraphQlTester other = HttpGraphQlTester.create(WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port + "/graphql")
			.defaultHeader(E2eSupport.KEY_HEADER, OTHER_KEY)
			.build());
		String theirs = notFound(other, id);
		String unknown = notFound(other, "export_unknown_1");
		assertThat(theirs.replace(id, "<id>")).isEqualTo(unknown.replace("export_unknown_1", "<id>"));
		assertThat(subscriptionErrors(OTHER_KEY, id)).as("the subscription to another tenant's export")
			.isEqualTo(subscriptionErrors(OTHER_KEY, "export_unknown_1").replace("export_unknown_1", id))
			.contains("NOT_FOUND");
	}

	@Test
	void exportCallbacksForUnknownExportsOrWithoutTheSecretChangeNothing() {
		String body = "{\"export_id\":\"export_made_up\",\"status\":\"completed\",\"download_url\":\"https://example.com/x.zip\"}";
		Answer unknown = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", E2eSupport.CALLBACK_SECRET, "application/json", body);
		assertThat(unknown.status()).isEqualTo(404);
		Answer unauthenticated = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", "wrong-secret-000000000", "application/json",
				body);
		assertThat(unauthenticated.status()).isEqualTo(401);
		Answer form = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", E2eSupport.CALLBACK_SECRET, WebhookSupport.FORM,
				"export_id=x");
		assertThat(form.status()).isEqualTo(415);
		Answer malformed = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", E2eSupport.CALLBACK_SECRET, "application/json",
				"{\"export_id\":\"../x\",\"status\":\"completed\"}");
		assertThat(malformed.status()).isEqualTo(400);
		Answer notJson = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "export", E2eSupport.CALLBACK_SECRET, "application/json", "{");
		assertThat(notJson.status()).isEqualTo(400);
	}

	/** The errors a subscription ends with, as text. */
	private String subscriptionErrors(String key, String id) {
		try {
			WebhookSupport.subscribeToExport(this.port, this.webSocketPath, key, id);
			return "no error";
		}
		catch (SubscriptionErrorException ex) {
			return ex.getErrors().stream().map((error) -> error.getExtensions().get("code") + ": " + error.getMessage()).toList().toString();
		}
	}

	private String notFound(HttpGraphQlTester graphQl, String id) {
		String[] message = { null };
		graphQl.document("query($id: ID!) { recordingExport(id: $id) { id status } }")
			.variable("id", id)
			.execute()
			.errors()
			.satisfy((errors) -> assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.getExtensions().get("code")).isEqualTo("NOT_FOUND");
				message[0] = error.getMessage();
			}))
			.path("recordingExport").valueIsNull();
		return message[0];
	}

}
