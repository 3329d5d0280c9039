package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway over real HTTP, against the sandbox and a Redis of its own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(3).rateLimitPerMinute(100_000).build());

	/** A Redis of this test's own: it is emptied before each test, which a shared one must never be. */
	static final TestRedis redis = TestRedis.startOwned();

	static final RedisClient redisClient = RedisClient.create(redis.url());

	static final StatefulRedisConnection<String, String> redisConnection = redisClient.connect();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, redis.url(), registry);
	}

	@LocalServerPort
	int port;

	HttpGraphQlTester graphQl;

	@BeforeEach
	void fresh() {
		this.graphQl = E2eSupport.tester(this.port);
		redisConnection.sync().flushall();
		sandbox.reset();
	}

	@AfterEach
	void clearFaults() {
		E2eSupport.faults(sandbox, "DELETE", null);
	}

	@AfterAll
	static void stop() throws Exception {
		redisConnection.close();
		redisClient.shutdown();
		sandbox.close();
		redis.close();
	}

	@Test
	void aPageOfAHundredWithRecordingsAndAgentsIsThreeRequestsColdAndOneWarm() {
		List<Map<String, Object>> cold = this.graphQl.documentName("pageWithAgentsAndRecordings")
			.variable("first", 100)
			.execute()
			.errors().verify()
			.path("calls.edges[*].node").entityList(mapType()).get();
		assertThat(cold).hasSize(100);
		long coldRequests = E2eSupport.apiRequests(sandbox);
		assertThat(coldRequests).as("cold: %s", sandbox.stats()).isLessThanOrEqualTo(3);
		assertThat(cold).anySatisfy((node) -> assertThat(((Map<?, ?>) node.get("recording")).get("url")).isNotNull());
		assertThat(cold).anySatisfy((node) -> assertThat(node.get("agent")).isNotNull());
		sandbox.reset();
		List<Map<String, Object>> warm = this.graphQl.documentName("pageWithAgentsAndRecordings")
			.variable("first", 100)
			.execute()
			.errors().verify()
			.path("calls.edges[*].node").entityList(mapType()).get();
		assertThat(E2eSupport.apiRequests(sandbox)).as("warm: %s", sandbox.stats()).isLessThanOrEqualTo(1);
		assertThat(warm).hasSize(100);
	}

	@Test
	void aV1OnlySelectionMakesOnlyV1Requests() {
		this.graphQl.documentName("v1OnlyPage")
			.variable("first", 50)
			.execute()
			.errors().verify()
			.path("calls.edges").entityList(Object.class).hasSize(50)
			.path("calls.answeredBy").entity(String.class).isEqualTo("V1");
		Map<String, Long> stats = sandbox.stats();
		assertThat(stats.get("v1.calls.list")).isEqualTo(1);
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", stats).isEqualTo(1);
	}

	@Test
	void aPageSelectingTheCustomFieldIsSearchedInV4RatherThanAskingV3PerCall() {
		this.graphQl.document("{ calls(first: 50) { answeredBy edges { node { sid customField } } } }").execute().errors().verify()
			.path("calls.answeredBy").entity(String.class).isEqualTo("V4");
		assertThat(sandbox.stats()).containsEntry("v4.voicelogs.list", 1L).containsEntry("v3.calls.get", 0L);
		assertThat(E2eSupport.apiRequests(sandbox)).isEqualTo(1);
	}

	@Test
	void aCallSelectingOnlyV1FieldsAsksOnlyV1AndOtherFieldsAskTheirOwner() {
		String sid = recordedSid();
		sandbox.reset();
		this.graphQl.documentName("callBasics").variable("sid", sid).execute().errors().verify()
			.path("call.sid").entity(String.class).isEqualTo(sid)
			.path("call.sources").entityList(String.class).containsExactly("V1");
		assertThat(sandbox.stats().get("v1.calls.get")).isEqualTo(1);
		assertThat(E2eSupport.apiRequests(sandbox)).isEqualTo(1);
		sandbox.reset();
		Map<String, Object> call = this.graphQl.documentName("callEverything").variable("sid", sid).execute().errors().verify()
			.path("call").entity(mapType()).get();
		assertThat(call.get("from")).isNotNull();
		assertThat(call.get("agent")).isNotNull();
		assertThat((List<?>) call.get("timeline")).isNotEmpty();
		assertThat((List<?>) call.get("legs")).hasSize(2);
		assertThat(((Map<?, ?>) call.get("recording")).get("status")).isEqualTo("AVAILABLE");
		assertThat(sandbox.stats()).containsEntry("v1.calls.get", 1L).containsEntry("v3.calls.get", 1L)
			.containsEntry("v4.voicelogs.get", 1L).containsEntry("v3.voice-logs.bulk", 1L);
	}

	@Test
	void theRedisKeyLivesUntilExpiryLessTheMargin() {
		String sid = recordedSid();
		String expiresAt = this.graphQl.documentName("recording").variable("sid", sid).execute().errors().verify()
			.path("recording.status").entity(String.class).isEqualTo("AVAILABLE")
			.path("recording.expiresAt").entity(String.class).get();
		long pttl = redisConnection.sync().pttl(RecordingService.key("test", E2eSupport.ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE));
		long expected = Duration.between(Instant.now(), Instant.parse(expiresAt)).minusSeconds(60).toMillis();
		assertThat(pttl).isPositive().isCloseTo(expected, org.assertj.core.data.Offset.offset(1000L));
		sandbox.reset();
		this.graphQl.documentName("recording").variable("sid", sid).execute().errors().verify()
			.path("recording.expiresAt").entity(String.class).isEqualTo(expiresAt);
		assertThat(E2eSupport.apiRequests(sandbox)).as("answered from Redis").isZero();
	}

	@Test
	void recordingsComeBackInTheOrderAskedWithUnknownCallsNotAvailable() {
		String sid = recordedSid();
		sandbox.reset();
		List<Map<String, Object>> recordings = this.graphQl.documentName("recordings")
			.variable("sids", List.of("unknown0000", sid, "unknown0000"))
			.execute().errors().verify()
			.path("recordings").entityList(mapType()).get();
		assertThat(recordings).extracting((recording) -> recording.get("callSid")).containsExactly("unknown0000", sid, "unknown0000");
		assertThat(recordings).extracting((recording) -> recording.get("status")).containsExactly("NOT_AVAILABLE", "AVAILABLE", "NOT_AVAILABLE");
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).as("the recorded call was cached; one request for the unknown").isEqualTo(1);
	}

	@Test
	void relayPagingMovesForwardAndBackWithoutOverlap() {
		Map<String, Object> first = page(Map.of("first", 5));
		Map<String, Object> info = info(first);
		assertThat(info.get("hasNextPage")).isEqualTo(true);
		assertThat(info.get("hasPreviousPage")).isEqualTo(false);
		Map<String, Object> second = page(Map.of("first", 5, "after", info.get("endCursor")));
		assertThat(sids(second)).hasSize(5).doesNotContainAnyElementsOf(sids(first));
		assertThat(info(second).get("hasPreviousPage")).isEqualTo(true);
		Map<String, Object> back = page(Map.of("last", 5, "before", info(second).get("startCursor")));
		assertThat(sids(back)).isEqualTo(sids(first));
		List<String> firstTen = sids(page(Map.of("first", 10)));
		Map<String, Object> middle = page(Map.of("first", 3, "after", edgeCursor(first, 1)));
		assertThat(sids(middle)).isEqualTo(firstTen.subList(2, 5));
		Map<String, Object> oldest = page(Map.of("last", 3));
		assertThat(info(oldest).get("hasNextPage")).isEqualTo(false);
		assertThat(info(oldest).get("hasPreviousPage")).isEqualTo(true);
	}

	@Test
	void pageSizesAboveAHundredAreRefused() {
		this.graphQl.documentName("page").variable("first", 101).execute().errors()
			.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")) && error.getMessage().contains("1 to 100"))
			.verify();
		this.graphQl.documentName("page").variable("last", 0).execute().errors()
			.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")))
			.verify();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
	}

	@Test
	void agentFiltersAreAnsweredByV4() {
		this.graphQl.documentName("page")
			.variable("first", 10)
			.variable("filter", Map.of("agentId", "agent_002", "statuses", List.of("COMPLETED")))
			.execute().errors().verify()
			.path("calls.answeredBy").entity(String.class).isEqualTo("V4")
			.path("calls.edges").entityList(Object.class).hasSize(10);
		assertThat(sandbox.stats().get("v4.voicelogs.list")).isEqualTo(1);
		assertThat(sandbox.stats().get("v1.calls.list")).as("'from' for the whole page: one SID lookup").isEqualTo(1);
	}

	@Test
	void upstreamErrorsCarryTheirCodeAndTheRestStillResolves() {
		String sid = recordedSid();
		E2eSupport.faults(sandbox, "POST", "{\"v4\":{\"forcedStatus\":503}}");
		this.graphQl.documentName("callWithAgent").variable("sid", sid).execute()
			.errors()
			.expect((error) -> "UPSTREAM_UNAVAILABLE".equals(error.getExtensions().get("code"))
					&& error.getPath().equals("call.agent"))
			.verify()
			.path("call.sid").entity(String.class).isEqualTo(sid)
			.path("call.agent").valueIsNull()
			.path("accounts[0].sid").entity(String.class).isEqualTo(E2eSupport.ACCOUNT);
		E2eSupport.faults(sandbox, "DELETE", null);
		this.graphQl.documentName("callBasics").variable("sid", "0000000000000000").execute()
			.errors()
			.expect((error) -> "NOT_FOUND".equals(error.getExtensions().get("code")))
			.verify()
			.path("call").valueIsNull();
		E2eSupport.faults(sandbox, "POST", "{\"v1\":{\"forcedStatus\":401}}");
		this.graphQl.documentName("callBasics").variable("sid", sid).execute()
			.errors()
			.expect((error) -> "UNAUTHENTICATED".equals(error.getExtensions().get("code"))
					&& !error.getMessage().contains("demo-token"))
			.verify();
	}

	@Test
	void activeCallsAccountsAndExports() {
		this.graphQl.documentName("activeCalls").execute().errors().verify()
			.path("activeCalls[*].status").entityList(String.class).satisfies((statuses) -> assertThat(statuses).isNotEmpty()
				.allMatch("IN_PROGRESS"::equals))
			.path("activeCalls[*].endedAt").entityList(Object.class).satisfies((ends) -> assertThat(ends).allMatch(java.util.Objects::isNull));
		this.graphQl.documentName("accounts").execute().errors().verify()
			.path("accounts[0].sid").entity(String.class).isEqualTo(E2eSupport.ACCOUNT)
			.path("accounts[0].sandbox").entity(Boolean.class).isEqualTo(false)
			.path("accounts[0].requestsPerMinute").entity(Integer.class).isEqualTo(200);
		Instant now = Instant.now();
		this.graphQl.documentName("export")
			.variable("input", Map.of("from", now.minus(Duration.ofDays(1)).toString(), "to", now.toString(),
					"callbackUrl", "http://127.0.0.1:9/hook?secret=s"))
			.execute().errors().verify()
			.path("requestRecordingExport.export.id").entity(String.class).satisfies((id) -> assertThat(id).startsWith("export_"))
			.path("requestRecordingExport.export.status").entity(String.class).isEqualTo("PROCESSING");
		this.graphQl.documentName("export")
			.variable("input", Map.of("from", now.toString(), "to", now.minus(Duration.ofDays(1)).toString(), "callbackUrl", "ftp://x"))
			.execute().errors()
			.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")))
			.verify();
		assertThat(sandbox.stats().get("v3.voice-logs.export")).isEqualTo(1);
	}

	private String recordedSid() {
		List<Map<String, Object>> nodes = this.graphQl.documentName("pageWithAgentsAndRecordings").variable("first", 40).execute()
			.errors().verify()
			.path("calls.edges[*].node").entityList(mapType()).get();
		return nodes.stream()
			.filter((node) -> "AVAILABLE".equals(((Map<?, ?>) node.get("recording")).get("status")))
			.map((node) -> (String) node.get("sid"))
			.findFirst()
			.orElseThrow();
	}

	private Map<String, Object> page(Map<String, Object> variables) {
		HttpGraphQlTester.Request<?> request = this.graphQl.documentName("page");
		for (Map.Entry<String, Object> variable : variables.entrySet()) {
			request = request.variable(variable.getKey(), variable.getValue());
		}
		return request.execute().errors().verify().path("calls").entity(mapType()).get();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> info(Map<String, Object> connection) {
		return (Map<String, Object>) connection.get("pageInfo");
	}

	@SuppressWarnings("unchecked")
	private static List<String> sids(Map<String, Object> connection) {
		return ((List<Map<String, Object>>) connection.get("edges")).stream()
			.map((edge) -> (String) ((Map<String, Object>) edge.get("node")).get("sid"))
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static String edgeCursor(Map<String, Object> connection, int index) {
		return (String) ((List<Map<String, Object>>) connection.get("edges")).get(index).get("cursor");
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Class<Map<String, Object>> mapType() {
		return (Class) Map.class;
	}


}
