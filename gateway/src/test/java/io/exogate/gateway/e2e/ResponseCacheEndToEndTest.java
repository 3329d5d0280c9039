package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.response.ResponseCache;
import io.exogate.gateway.security.Audit;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole-response cache in the running gateway: a repeated recording query is answered from it
 * (nothing upstream, nothing from the recording cache, the audit line still written), only within its
 * tenant; a status callback for the call drops it; verified links, call pages and mutations are never kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResponseCacheEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(20).build());

	static final String SHARING_KEY = TestSecrets.register("test-sharing-tenant-key-7c1e90");

	static final String ELSEWHERE_KEY = TestSecrets.register("test-elsewhere-tenant-key-2b4d51");

	static final String RECORDING = "query R($sid: ID!) { recording(callSid: $sid) { callSid status url expiresAt playbackUrl } }";

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		E2eSupport.secondAccount(sandbox, registry);
		// A second tenant holding the same account, and a third holding another one.
		registry.add("exogate.security.tenants[1].id", () -> "sharing");
		registry.add("exogate.security.tenants[1].accounts[0]", () -> E2eSupport.ACCOUNT);
		registry.add("exogate.security.tenants[1].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(SHARING_KEY));
		registry.add("exogate.security.tenants[1].requests-per-minute", () -> "1000000");
		registry.add("exogate.security.tenants[2].id", () -> "elsewhere");
		registry.add("exogate.security.tenants[2].accounts[0]", () -> "exogate-demo-2");
		registry.add("exogate.security.tenants[2].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(ELSEWHERE_KEY));
		registry.add("exogate.security.tenants[2].requests-per-minute", () -> "1000000");
	}

	@AfterAll
	static void stopSandbox() {
		sandbox.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	ResponseCache cache;

	private final Logger audit = (Logger) LoggerFactory.getLogger(Audit.LOGGER);

	private final ListAppender<ILoggingEvent> auditLines = new ListAppender<>();

	@BeforeEach
	void capture() {
		this.auditLines.start();
		this.audit.addAppender(this.auditLines);
	}

	@AfterEach
	void release() {
		this.audit.detachAppender(this.auditLines);
		this.auditLines.stop();
	}

	@Test
	void aRepeatedRecordingQueryIsServedFromTheCacheWithItsAuditLine() {
		String sid = availableCall(0);
		Map<String, Object> first = recording(E2eSupport.KEY, sid);
		long upstream = E2eSupport.apiRequests(sandbox);
		long hits = this.cache.hits();
		int lines = issuedLines(sid);

		Map<String, Object> second = recording(E2eSupport.KEY, sid);

		assertThat(second).as("the same answer").isEqualTo(first);
		assertThat(this.cache.hits()).as("served from the whole-response cache").isEqualTo(hits + 1);
		assertThat(E2eSupport.apiRequests(sandbox)).as("nothing asked of Exotel").isEqualTo(upstream);
		assertThat(issuedLines(sid)).as("a link handed out from the cache is still an audit event").isEqualTo(lines + 1);

		// The same request written otherwise (its variables first, other spacing): the same answer, from the cache.
		String respelled = "{ \"variables\" : {\"sid\":\"" + sid + "\"},\n \"query\": \"" + RECORDING + "\" }";
		Map<String, Object> third = rawRecording(E2eSupport.KEY, respelled);
		assertThat(third).isEqualTo(first);
		assertThat(this.cache.hits()).isEqualTo(hits + 2);
		assertThat(E2eSupport.apiRequests(sandbox)).isEqualTo(upstream);
		assertThat(issuedLines(sid)).isEqualTo(lines + 2);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> rawRecording(String key, String json) {
		Map<String, Object> body = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri("/graphql")
			.header(E2eSupport.KEY_HEADER, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).isNotNull().doesNotContainKey("errors");
		return (Map<String, Object>) ((Map<String, Object>) body.get("data")).get("recording");
	}

	@Test
	void anAnswerIsNeverServedToAnotherTenant() {
		String sid = availableCall(1);
		Map<String, Object> own = recording(E2eSupport.KEY, sid);
		recording(E2eSupport.KEY, sid);
		long hits = this.cache.hits();

		Map<String, Object> sharing = recording(SHARING_KEY, sid);
		assertThat(this.cache.hits()).as("another tenant's identical request is not a hit").isEqualTo(hits);
		assertThat(sharing.get("playbackUrl")).as("its playback link is its own tenant's").isNotNull()
			.isNotEqualTo(own.get("playbackUrl"));

		Map<String, Object> elsewhere = recording(ELSEWHERE_KEY, sid);
		assertThat(this.cache.hits()).isEqualTo(hits);
		assertThat(elsewhere.get("url")).as("a tenant without the account gets none of its links").isNull();
		assertThat(elsewhere.get("status")).isEqualTo("NOT_AVAILABLE");
	}

	@Test
	void aStatusCallbackForTheCallDropsTheAnswer() {
		String sid = availableCall(2);
		recording(E2eSupport.KEY, sid);
		recording(E2eSupport.KEY, sid);
		long hits = this.cache.hits();

		assertThat(WebhookSupport.status(this.port, E2eSupport.CALLBACK_SECRET,
				WebhookSupport.completed(sid, "2026-11-23 10:01:02")).status()).isEqualTo(204);
		long upstream = E2eSupport.apiRequests(sandbox);
		recording(E2eSupport.KEY, sid);
		assertThat(this.cache.hits()).as("the callback dropped the kept answer").isEqualTo(hits);
		assertThat(E2eSupport.apiRequests(sandbox)).as("the recording was asked of Exotel again").isGreaterThan(upstream);
		recording(E2eSupport.KEY, sid);
		assertThat(this.cache.hits()).as("and the fresh answer is kept again").isEqualTo(hits + 1);
	}

	@Test
	void verifiedLinksCallPagesAndIntrospectionAreNeverKept() {
		String sid = availableCall(3);
		String verified = "query V($sid: ID!) { recording(callSid: $sid, verify: true) { url } }";
		String page = "{ calls(first: 5) { edges { node { sid recording { url } } } } }";
		String mixed = "query M($sid: ID!) { recording(callSid: $sid) { url } accounts { sid } }";
		String schema = "{ __schema { queryType { name } } }";
		long hits = this.cache.hits();
		for (int i = 0; i < 2; i++) {
			post(E2eSupport.KEY, verified, Map.of("sid", sid));
			post(E2eSupport.KEY, page, Map.of());
			post(E2eSupport.KEY, mixed, Map.of("sid", sid));
			answer(E2eSupport.KEY, schema, Map.of());
		}
		assertThat(this.cache.hits()).isEqualTo(hits);
	}

	/** One call with a link: each test its own, so that one test's callbacks and answers do not meet another's. */
	private String availableCall(int index) {
		Map<String, Object> data = post(E2eSupport.KEY, "{ calls(first: 20) { edges { node { sid recording { url } } } } }", Map.of());
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> edges = (List<Map<String, Object>>) ((Map<String, Object>) data.get("calls")).get("edges");
		List<String> available = edges.stream()
			.map((edge) -> (Map<?, ?>) edge.get("node"))
			.filter((node) -> ((Map<?, ?>) node.get("recording")).get("url") != null)
			.map((node) -> (String) node.get("sid"))
			.toList();
		assertThat(available).isNotEmpty();
		return available.get(index % available.size());
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> recording(String key, String sid) {
		return (Map<String, Object>) post(key, RECORDING, Map.of("sid", sid)).get("recording");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> post(String key, String query, Map<String, Object> variables) {
		Map<String, Object> body = answer(key, query, variables);
		assertThat(body.get("errors")).as("errors of %s", query).isNull();
		return (Map<String, Object>) body.get("data");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> answer(String key, String query, Map<String, Object> variables) {
		Map<String, Object> body = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.post()
			.uri("/graphql")
			.header(E2eSupport.KEY_HEADER, key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("query", query, "variables", variables))
			.exchange()
			.expectStatus().isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).isNotNull();
		return body;
	}

	private int issuedLines(String sid) {
		return (int) this.auditLines.list.stream()
			.map(ILoggingEvent::getFormattedMessage)
			.filter((line) -> line.contains("\"recording.issued\"") && line.contains(sid))
			.count();
	}

}
