package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.security.Audit;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail over real HTTP: each recording link handed out ({@code recording}, {@code recordings},
 * {@code Call.recording}) and each export asked for, accepted or refused, is one JSON line on
 * {@code exogate.audit} naming the tenant, the key's id (never the key) and what was given, and never the
 * callback's query or user information.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuditTrailTest {

	/** Exports are never announced: the callback ({@code http://127.0.0.1:9/}) refuses connections, a WARN of the sandbox's. */
	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(21).rateLimitPerMinute(100_000)
		.exportDelay(Duration.ofHours(1)).build());

	static final List<String> RECORDING_FIELDS = List.of("event", "at", "tenant", "who", "auth", "account", "call", "format", "channel",
			"via", "result");

	static final List<String> EXPORT_FIELDS = List.of("event", "at", "tenant", "who", "auth", "account", "format", "callbackHost", "via",
			"result", "detail");

	/** What a receiver puts in its callback's query: it must never reach the gateway's log. */
	static final String RECEIVER_SECRET = TestSecrets.register("receiver-secret-3f9a1c");

	/** Reads the whole line as one JSON object: trailing text is an error. */
	private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
	}

	@LocalServerPort
	int port;

	HttpGraphQlTester graphQl;

	private final Logger audit = (Logger) LoggerFactory.getLogger(Audit.LOGGER);

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	@BeforeEach
	void capture() {
		this.graphQl = E2eSupport.tester(this.port);
		this.events.start();
		this.audit.addAppender(this.events);
	}

	@AfterEach
	void release() {
		this.audit.detachAppender(this.events);
		this.events.stop();
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void aRecordingLinkIssuedByEachFieldIsOneAuditLine() {
		List<Map<String, Object>> nodes = this.graphQl.documentName("pageWithAgentsAndRecordings").variable("first", 40).execute()
			.errors().verify()
			.path("calls.edges[*].node").entityList(mapType()).get();
		String sid = nodes.stream()
			.filter((node) -> ((Map<?, ?>) node.get("recording")).get("url") != null)
			.map((node) -> (String) node.get("sid"))
			.findFirst()
			.orElseThrow();
		assertThat(issued("Call.recording")).as("one event per link handed out in the page")
			.hasSize((int) nodes.stream().filter((node) -> ((Map<?, ?>) node.get("recording")).get("url") != null).count())
			.anySatisfy((event) -> assertThat(event.get("call").asString()).isEqualTo(sid));

		this.graphQl.documentName("recording").variable("sid", sid).execute().errors().verify()
			.path("recording.url").entity(String.class).satisfies((url) -> assertThat(url).isNotBlank());
		assertThat(issued("recording")).singleElement().satisfies((event) -> {
			assertThat(event.get("call").asString()).isEqualTo(sid);
			assertThat(event.get("format").asString()).isEqualTo("MP3");
			assertThat(event.get("channel").asString()).isEqualTo("SINGLE");
		});

		this.graphQl.documentName("recordings").variable("sids", List.of(sid)).execute().errors().verify()
			.path("recordings[0].url").entity(String.class).satisfies((url) -> assertThat(url).isNotBlank());
		assertThat(issued("recordings")).singleElement().satisfies((event) -> assertThat(event.get("call").asString()).isEqualTo(sid));

		assertThat(lines()).allSatisfy((line) -> assertThat(line).doesNotContain(E2eSupport.KEY));
	}

	@Test
	void anAcceptedExportIsOneAuditLineNamingTheCallbacksHostOnly() {
		Instant now = Instant.now();
		this.graphQl.documentName("export")
			.variable("input", Map.of("from", now.minus(Duration.ofDays(1)).toString(), "to", now.toString(), "callbackUrl",
					"http://127.0.0.1:9/hook?secret=" + RECEIVER_SECRET))
			.execute().errors().verify()
			.path("requestRecordingExport.export.id").entity(String.class).satisfies((id) -> assertThat(id).startsWith("export_"));
		JsonNode event = single(parsed());
		assertThat(fields(event)).containsExactlyElementsOf(EXPORT_FIELDS);
		assertCaller(event);
		assertThat(event.get("event").asString()).isEqualTo("export.requested");
		assertThat(event.get("format").asString()).isEqualTo("MP3");
		assertThat(event.get("callbackHost").asString()).isEqualTo("127.0.0.1");
		assertThat(event.get("via").asString()).isEqualTo("requestRecordingExport");
		assertThat(event.get("result").asString()).isEqualTo("accepted");
		assertThat(event.get("detail").asString()).startsWith("export export_");
		assertThat(lines()).singleElement().satisfies((line) -> assertThat(line).doesNotContain(RECEIVER_SECRET, E2eSupport.KEY));
	}

	@Test
	void aRefusedExportIsOneAuditLineWithoutTheCallbacksSecrets() {
		Instant now = Instant.now();
		for (String callback : List.of("https://hooks.other-tenant.example/hook?secret=" + RECEIVER_SECRET,
				"http://user:" + RECEIVER_SECRET + "@127.0.0.1:9/hook", "http://127.0.0.1:9/hook#" + RECEIVER_SECRET)) {
			this.graphQl.documentName("export")
				.variable("input", Map.of("from", now.minus(Duration.ofDays(1)).toString(), "to", now.toString(), "callbackUrl", callback))
				.execute().errors()
				.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")) && !error.getMessage().contains(RECEIVER_SECRET))
				.verify();
		}
		assertThat(parsed()).hasSize(3).allSatisfy((event) -> {
			assertThat(fields(event)).containsExactlyElementsOf(EXPORT_FIELDS);
			assertCaller(event);
			assertThat(event.get("event").asString()).isEqualTo("export.requested");
			assertThat(event.get("via").asString()).isEqualTo("requestRecordingExport");
			assertThat(event.get("result").asString()).isEqualTo("refused");
			assertThat(event.get("detail").asString()).startsWith("callbackUrl ");
		});
		assertThat(parsed()).extracting((event) -> event.get("callbackHost").asString())
			.containsExactly("hooks.other-tenant.example", "127.0.0.1", "127.0.0.1");
		assertThat(lines()).hasSize(3).allSatisfy((line) -> assertThat(line).doesNotContain(RECEIVER_SECRET, E2eSupport.KEY));
	}

	/** The recording links issued through this field, each checked as a whole audit line. */
	private List<JsonNode> issued(String via) {
		List<JsonNode> issued = parsed().stream().filter((event) -> event.get("via").asString().equals(via)).toList();
		assertThat(issued).allSatisfy((event) -> {
			assertThat(fields(event)).containsExactlyElementsOf(RECORDING_FIELDS);
			assertCaller(event);
			assertThat(event.get("event").asString()).isEqualTo("recording.issued");
			assertThat(event.get("call").asString()).matches("[0-9a-f]{32}");
			assertThat(event.get("format").asString()).isIn("MP3", "WAV");
			assertThat(event.get("channel").asString()).isIn("SINGLE", "DUAL");
			assertThat(event.get("result").asString()).isEqualTo("issued");
		});
		synchronized (this.events) {
			this.events.list.clear();
		}
		return issued;
	}

	private static void assertCaller(JsonNode event) {
		assertThat(Instant.parse(event.get("at").asString())).isBetween(Instant.now().minusSeconds(120), Instant.now());
		assertThat(event.get("tenant").asString()).isEqualTo("test");
		assertThat(event.get("who").asString()).isEqualTo("key:" + E2eSupport.sha256(E2eSupport.KEY).substring(0, 12));
		assertThat(event.get("auth").asString()).isEqualTo("api-key");
		assertThat(event.get("account").asString()).isEqualTo(E2eSupport.ACCOUNT);
	}

	/** Every audit line so far, each one line of one JSON object. */
	private List<JsonNode> parsed() {
		return lines().stream().map((line) -> {
			assertThat(line).as("one line").doesNotContain("\n", "\r");
			JsonNode event = JSON.readTree(line);
			assertThat(event.isObject()).as(line).isTrue();
			return event;
		}).toList();
	}

	private List<String> lines() {
		synchronized (this.events) {
			return new ArrayList<>(this.events.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
		}
	}

	private static JsonNode single(List<JsonNode> events) {
		assertThat(events).hasSize(1);
		return events.get(0);
	}

	private static List<String> fields(JsonNode event) {
		return event.propertyNames().stream().toList();
	}

	@SuppressWarnings("unchecked")
	private static Class<Map<String, Object>> mapType() {
		return (Class<Map<String, Object>>) (Class<?>) Map.class;
	}

}
