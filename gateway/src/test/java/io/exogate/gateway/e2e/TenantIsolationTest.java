package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.E2eSupport.Answer;
import io.exogate.gateway.security.Audit;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three tenants on one gateway sharing one Redis: {@code alpha} owns {@code exogate-demo}, {@code beta}
 * owns {@code exogate-demo-2}. Neither can reach, see or learn of the other's account, calls or cache.
 * {@code gamma} is served {@code exogate-demo} too, with a key of its own: it sees the account's calls,
 * never alpha's cache entries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TenantIsolationTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(11).rateLimitPerMinute(100_000).build());

	static final TestRedis redis = TestRedis.startOwned();

	static final RedisClient redisClient = RedisClient.create(redis.url());

	static final StatefulRedisConnection<String, String> redisConnection = redisClient.connect();

	static final String UNKNOWN_ACCOUNT = "no-such-account";

	static final String MADE_UP_SID = "0123456789abcdef0123456789abcdef";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** A third tenant over alpha's account, with a key of its own. */
	static final String GAMMA = "gamma";

	static final String GAMMA_KEY = TestSecrets.register("gamma-client-key-c41e07");

	/** The two tenants, each with its one account and its API key. */
	enum Tenant {

		ALPHA("alpha", "exogate-demo", TestSecrets.register("alpha-client-key-3f9a61")),
		BETA("beta", "exogate-demo-2", TestSecrets.register("beta-client-key-8c20d4"));

		final String id;

		final String account;

		final String key;

		Tenant(String id, String account, String key) {
			this.id = id;
			this.account = account;
			this.key = key;
		}

		Tenant other() {
			return (this == ALPHA) ? BETA : ALPHA;
		}

	}

	/** Every operation that takes an account; each is asked with the account and a call SID. */
	enum Operation {

		CALL("call", "query($account: ID, $sid: ID!) { call(sid: $sid, account: $account) { sid status } }"),
		CALLS("calls", "query($account: ID) { calls(first: 5, account: $account) { edges { node { sid } } } }"),
		RECORDING("recording", "query($account: ID, $sid: ID!) { recording(callSid: $sid, account: $account) { callSid status url } }"),
		RECORDINGS("recordings", "query($account: ID, $sids: [ID!]!) { recordings(callSids: $sids, account: $account) { callSid status url } }"),
		ACTIVE_CALLS("activeCalls", "query($account: ID) { activeCalls(account: $account) { sid } }"),
		REQUEST_RECORDING_EXPORT("requestRecordingExport",
				"mutation($input: RecordingExportInput!) { requestRecordingExport(input: $input) { export { id status } } }");

		final String field;

		final String document;

		Operation(String field, String document) {
			this.field = field;
			this.document = document;
		}

		Map<String, Object> variables(String account, String sid) {
			Map<String, Object> variables = new HashMap<>();
			switch (this) {
				case CALL, RECORDING -> {
					variables.put("account", account);
					variables.put("sid", sid);
				}
				case RECORDINGS -> {
					variables.put("account", account);
					variables.put("sids", List.of(sid));
				}
				case CALLS, ACTIVE_CALLS -> variables.put("account", account);
				case REQUEST_RECORDING_EXPORT -> {
					Instant now = Instant.now();
					variables.put("input", Map.of("account", account, "from", now.minus(Duration.ofDays(1)).toString(), "to",
							now.toString(), "callbackUrl", "http://127.0.0.1:9/hook?secret=s"));
				}
			}
			return variables;
		}

	}

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		for (Tenant tenant : Tenant.values()) {
			int i = tenant.ordinal();
			String account = "exogate.exotel.accounts[" + i + "].";
			String prefix = (tenant == Tenant.ALPHA) ? "demo" : "demo2";
			registry.add(account + "sid", () -> tenant.account);
			registry.add(account + "api-key", () -> prefix + "-key");
			registry.add(account + "api-token", () -> prefix + "-token");
			registry.add(account + "v4-token", () -> prefix + "-v4-token");
			registry.add(account + "base-urls.v1", sandbox::baseUrl);
			registry.add(account + "base-urls.v3", sandbox::baseUrl);
			registry.add(account + "base-urls.v4", sandbox::baseUrl);
			registry.add(account + "callback-secret", () -> E2eSupport.CALLBACK_SECRET);
			String configured = "exogate.security.tenants[" + i + "].";
			registry.add(configured + "id", () -> tenant.id);
			registry.add(configured + "accounts[0]", () -> tenant.account);
			registry.add(configured + "api-keys[0]", () -> "sha256:" + E2eSupport.sha256(tenant.key));
			registry.add(configured + "requests-per-minute", () -> "1000000");
			registry.add(configured + "export-callbacks[0]", () -> "http://127.0.0.1:9/");
			registry.add(configured + "allow-private-callbacks", () -> "true");
		}
		String gamma = "exogate.security.tenants[" + Tenant.values().length + "].";
		registry.add(gamma + "id", () -> GAMMA);
		registry.add(gamma + "accounts[0]", () -> Tenant.ALPHA.account);
		registry.add(gamma + "api-keys[0]", () -> "sha256:" + E2eSupport.sha256(GAMMA_KEY));
		registry.add(gamma + "requests-per-minute", () -> "1000000");
		registry.add("exogate.exotel.resilience.max-attempts", () -> "1");
		registry.add("exogate.cache.redis-url", redis::url);
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	final ListAppender<ILoggingEvent> audit = new ListAppender<>();

	@BeforeEach
	void fresh() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
		redisConnection.sync().flushall();
		sandbox.reset();
		this.audit.start();
		auditLogger().addAppender(this.audit);
	}

	@AfterEach
	void stopCapturing() {
		auditLogger().detachAppender(this.audit);
		this.audit.stop();
	}

	@AfterAll
	static void stop() throws Exception {
		redisConnection.close();
		redisClient.shutdown();
		sandbox.close();
		redis.close();
	}

	static Stream<Arguments> everyCallerAndOperation() {
		return Stream.of(Tenant.values())
			.flatMap((caller) -> Stream.of(Operation.values()).map((operation) -> Arguments.of(caller, operation)));
	}

	@ParameterizedTest(name = "{0} naming the other tenant''s account in {1}")
	@MethodSource("everyCallerAndOperation")
	void theOtherTenantsAccountAnswersExactlyAsAnUnknownAccountWithoutAskingExotel(Tenant caller, Operation operation) {
		Tenant owner = caller.other();
		String theirCall = recordedCallSid(owner);
		long before = E2eSupport.apiRequests(sandbox);
		synchronized (this.audit) {
			this.audit.list.clear();
		}
		Answer theirs = post(caller.key, operation.document, operation.variables(owner.account, theirCall));
		List<Map<String, Object>> events = auditEvents();
		Answer unknown = post(caller.key, operation.document, operation.variables(UNKNOWN_ACCOUNT, theirCall));

		assertThat(E2eSupport.apiRequests(sandbox) - before).as("requests that reached Exotel: %s", sandbox.stats()).isZero();
		assertThat(theirs.status()).isEqualTo(200);
		assertThat(theirs.errors()).singleElement().satisfies((error) -> {
			assertThat(error).extracting("extensions.code").isEqualTo("NOT_FOUND");
			assertThat(error).extracting("path").isEqualTo(List.of(operation.field));
		});
		assertThat(theirs.data()).containsEntry(operation.field, null);
		assertThat(theirs.body().replace(owner.account, "<account>"))
			.as("the same answer, word for word, as for an account that does not exist")
			.isEqualTo(unknown.body().replace(UNKNOWN_ACCOUNT, "<account>"));
		assertThat(events).as("audit events of the cross-tenant request")
			.anySatisfy((event) -> assertThat(event).containsEntry("result", "cross-tenant")
				.containsEntry("tenant", caller.id)
				.containsEntry("account", owner.account)
				.containsEntry("via", operation.field));
	}

	@ParameterizedTest
	@EnumSource(Tenant.class)
	void accountsListsOnlyTheCallersOwnAccountAndItsCallsAreRead(Tenant caller) {
		Answer accounts = post(caller.key, "{ accounts { sid } }", Map.of());
		assertThat(accounts.errors()).isEmpty();
		assertThat(accounts.data().get("accounts")).isEqualTo(List.of(Map.of("sid", caller.account)));
		Answer calls = post(caller.key, "{ calls(first: 3) { edges { node { sid account } } } }", Map.of());
		assertThat(calls.errors()).isEmpty();
		assertThat(calls.body()).contains(caller.account).doesNotContain("\"" + caller.other().account + "\"");
	}

	@ParameterizedTest
	@EnumSource(Tenant.class)
	void aCallSidOfTheOtherTenantAnswersExactlyAsAMadeUpSidOnTheCallersAccount(Tenant caller) {
		String theirCall = recordedCallSid(caller.other());
		String call = "query($sid: ID!) { call(sid: $sid) { sid status from } }";
		Answer theirs = post(caller.key, call, Map.of("sid", theirCall));
		Answer madeUp = post(caller.key, call, Map.of("sid", MADE_UP_SID));
		assertThat(theirs.errors()).singleElement().extracting("extensions.code").isEqualTo("NOT_FOUND");
		assertThat(theirs.body().replace(theirCall, "<sid>")).isEqualTo(madeUp.body().replace(MADE_UP_SID, "<sid>"));
		String recording = "query($sid: ID!) { recording(callSid: $sid) { callSid status url expiresAt } }";
		Answer theirRecording = post(caller.key, recording, Map.of("sid", theirCall));
		Answer madeUpRecording = post(caller.key, recording, Map.of("sid", MADE_UP_SID));
		assertThat(theirRecording.errors()).isEmpty();
		assertThat(theirRecording.data().get("recording")).extracting("status", "url").containsExactly("NOT_AVAILABLE", null);
		assertThat(theirRecording.body().replace(theirCall, "<sid>")).isEqualTo(madeUpRecording.body().replace(MADE_UP_SID, "<sid>"));
	}

	@Test
	void aRecordingIsCachedUnderItsTenantAndNeverServedToTheOther() {
		String sid = recordedCallSid(Tenant.ALPHA);
		redisConnection.sync().flushall();
		// A document of this test alone: no earlier answer of the whole-response cache matches it.
		String recording = "query CachedUnderItsTenant($sid: ID!) { recording(callSid: $sid) { callSid status url } }";
		Answer alphas = post(Tenant.ALPHA.key, recording, Map.of("sid", sid));
		assertThat(alphas.errors()).isEmpty();
		assertThat(alphas.data().get("recording")).extracting("status").isEqualTo("AVAILABLE");
		String url = (String) ((Map<?, ?>) alphas.data().get("recording")).get("url");
		assertThat(url).isNotBlank();
		List<String> afterAlpha = redisConnection.sync().keys("exogate:recording:*");
		assertThat(afterAlpha).containsExactly("exogate:recording:alpha:exogate-demo:" + sid + ":mp3:single");
		String alphasValue = redisConnection.sync().get(afterAlpha.get(0));
		assertThat(alphasValue).contains(url);

		long before = E2eSupport.apiRequests(sandbox);
		Answer betas = post(Tenant.BETA.key, recording, Map.of("sid", sid));
		Answer betasBatch = post(Tenant.BETA.key, "query($sids: [ID!]!) { recordings(callSids: $sids) { callSid status url } }",
				Map.of("sids", List.of(sid)));
		assertThat(E2eSupport.apiRequests(sandbox) - before).as("beta's answer came from Exotel, not from alpha's cache entry")
			.isPositive();
		assertThat(betas.errors()).isEmpty();
		assertThat(betasBatch.errors()).isEmpty();
		assertThat(betas.body()).doesNotContain(url);
		assertThat(betasBatch.body()).doesNotContain(url);
		assertThat(betas.data().get("recording")).extracting("status", "url").containsExactly("NOT_AVAILABLE", null);

		List<String> keys = redisConnection.sync().keys("exogate:recording:*");
		assertThat(keys).allSatisfy((key) -> assertThat(key).matches("exogate:recording:(alpha|beta):.*"));
		List<String> betaKeys = keys.stream().filter((key) -> key.startsWith("exogate:recording:beta:")).toList();
		assertThat(betaKeys).containsExactly("exogate:recording:beta:exogate-demo-2:" + sid + ":mp3:single");
		assertThat(keys).filteredOn((key) -> key.startsWith("exogate:recording:alpha:")).containsExactlyElementsOf(afterAlpha);
		for (String key : betaKeys) {
			assertThat(redisConnection.sync().get(key)).as(key).isNotEqualTo(alphasValue).doesNotContain(url);
		}
		assertThat(redisConnection.sync().get(afterAlpha.get(0))).as("alpha's entry is untouched").isEqualTo(alphasValue);
	}

	@Test
	void aTenantSharingAnAccountAsksExotelItselfAndNeverReadsTheOthersCacheEntry() {
		String sid = recordedCallSid(Tenant.ALPHA);
		redisConnection.sync().flushall();
		synchronized (this.audit) {
			this.audit.list.clear();
		}
		String recording = "query($sid: ID!) { recording(callSid: $sid) { callSid status url } }";
		long beforeAlpha = E2eSupport.apiRequests(sandbox);
		Answer alphas = post(Tenant.ALPHA.key, recording, Map.of("sid", sid));
		assertThat(alphas.errors()).isEmpty();
		assertThat(alphas.data().get("recording")).extracting("status").isEqualTo("AVAILABLE");
		assertThat(E2eSupport.apiRequests(sandbox) - beforeAlpha).isPositive();
		String alphaKey = "exogate:recording:alpha:exogate-demo:" + sid + ":mp3:single";
		assertThat(redisConnection.sync().keys("exogate:recording:*")).containsExactly(alphaKey);
		String alphasValue = redisConnection.sync().get(alphaKey);

		long beforeGamma = E2eSupport.apiRequests(sandbox);
		Answer gammas = post(GAMMA_KEY, recording, Map.of("sid", sid));
		assertThat(E2eSupport.apiRequests(sandbox) - beforeGamma).as("gamma's answer came from Exotel, not from alpha's cache entry")
			.isPositive();
		assertThat(gammas.errors()).isEmpty();
		assertThat(gammas.data().get("recording")).as("the same account: gamma sees the call's recording")
			.extracting("callSid", "status").containsExactly(sid, "AVAILABLE");
		String gammaKey = "exogate:recording:gamma:exogate-demo:" + sid + ":mp3:single";
		assertThat(redisConnection.sync().keys("exogate:recording:*")).containsExactlyInAnyOrder(alphaKey, gammaKey);
		assertThat(redisConnection.sync().get(alphaKey)).as("alpha's entry is untouched").isEqualTo(alphasValue);

		long beforeAgain = E2eSupport.apiRequests(sandbox);
		Answer again = post(GAMMA_KEY, recording, Map.of("sid", sid));
		assertThat(again.errors()).isEmpty();
		assertThat(E2eSupport.apiRequests(sandbox) - beforeAgain).as("gamma's second ask is served from its own entry").isZero();
		assertThat(auditEvents()).filteredOn((event) -> "recording.issued".equals(event.get("event")))
			.extracting((event) -> event.get("tenant"))
			.containsExactly("alpha", GAMMA, GAMMA);
	}

	@Test
	void aWrongKeyIsRefusedWith401() {
		Answer answer = post("not-" + Tenant.ALPHA.key, "{ accounts { sid } }", Map.of());
		assertUnauthenticated(answer, "invalid-key", "not-" + Tenant.ALPHA.key);
	}

	@Test
	void noKeyIsRefusedWith401() {
		Answer answer = post(null, "{ accounts { sid } }", Map.of());
		assertUnauthenticated(answer, "missing", null);
	}

	@Test
	void aKeyInTheQueryStringIsRefusedWith401EvenWithAValidHeader() {
		Answer answer = post("/graphql?api_key=" + Tenant.ALPHA.key, Tenant.ALPHA.key, "{ accounts { sid } }", Map.of());
		assertUnauthenticated(answer, "key-in-url", Tenant.ALPHA.key);
	}

	private void assertUnauthenticated(Answer answer, String reason, String presented) {
		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.errors()).singleElement().extracting("extensions.code").isEqualTo("UNAUTHENTICATED");
		assertThat(answer.data()).isNull();
		if (presented != null) {
			assertThat(answer.body()).doesNotContain(presented);
		}
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
		assertThat(auditEvents()).anySatisfy((event) -> assertThat(event).containsEntry("result", "unauthenticated")
			.containsEntry("detail", reason)
			.containsEntry("via", "/graphql")
			.doesNotContainKey("tenant"));
		assertThat(auditLines()).allSatisfy((line) -> {
			if (presented != null) {
				assertThat(line).doesNotContain(presented);
			}
		});
	}

	/** A call with a playable recording on the tenant's account, found through the gateway as that tenant. */
	private String recordedCallSid(Tenant tenant) {
		Answer page = post(tenant.key, "{ calls(first: 40) { edges { node { sid recording { status } } } } }", Map.of());
		assertThat(page.errors()).isEmpty();
		Map<?, ?> calls = (Map<?, ?>) page.data().get("calls");
		return ((List<?>) calls.get("edges")).stream()
			.map((edge) -> (Map<?, ?>) ((Map<?, ?>) edge).get("node"))
			.filter((node) -> "AVAILABLE".equals(((Map<?, ?>) node.get("recording")).get("status")))
			.map((node) -> (String) node.get("sid"))
			.findFirst()
			.orElseThrow();
	}

	private Answer post(String key, String document, Map<String, Object> variables) {
		return post("/graphql", key, document, variables);
	}

	private Answer post(String uri, String key, String document, Map<String, Object> variables) {
		WebTestClient.RequestBodySpec request = this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON);
		if (key != null) {
			request.header(E2eSupport.KEY_HEADER, key);
		}
		EntityExchangeResult<String> result = request
			.bodyValue(JSON.writeValueAsString(Map.of("query", document, "variables", variables)))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		return new Answer(result.getStatus().value(), result.getResponseBody());
	}

	private List<String> auditLines() {
		synchronized (this.audit) {
			return this.audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		}
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> auditEvents() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (String line : auditLines()) {
			events.add(JSON.readValue(line, Map.class));
		}
		return events;
	}

	private static Logger auditLogger() {
		return (Logger) LoggerFactory.getLogger(Audit.LOGGER);
	}

}
