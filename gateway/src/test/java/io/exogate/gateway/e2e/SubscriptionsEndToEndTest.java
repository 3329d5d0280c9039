package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.Subscriber.Received;
import io.exogate.gateway.subscription.LiveCalls;
import io.exogate.gateway.subscription.RecordingReadiness;
import io.exogate.gateway.subscription.SubscriptionLimits;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Subscriptions over a real WebSocket at {@code /graphql}, the sandbox as Exotel: {@code recordingReady}
 * completing when the sandbox finishes processing, 50 subscribers costing one poller's requests, pollers
 * stopped when subscribers leave, tenant scoping, the limits a hostile client meets, and the npm
 * {@code graphql-ws} client receiving a recording. The sandbox's
 * recordings stay {@code processing} for an hour until a test sets its processing delay to zero.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SubscriptionsEndToEndTest {

	static final Duration PROCESSING = Duration.ofHours(1);

	// A seed of its own per run: recording cache entries of an earlier run in a shared Redis never match.
	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(System.nanoTime()).callsPerAccount(300)
		.processingDelay(PROCESSING).build());

	static final TestRedis redis = TestRedis.startOwned();

	static final String OTHER_KEY = TestSecrets.register("other-subscriber-key-3c9e41");

	static final int PER_CONNECTION = 5;

	static final int PER_TENANT = 60;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, redis.url(), registry);
		E2eSupport.secondAccount(sandbox, registry);
		registry.add("exogate.security.tenants[1].id", () -> "other");
		registry.add("exogate.security.tenants[1].accounts[0]", () -> "exogate-demo-2");
		registry.add("exogate.security.tenants[1].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(OTHER_KEY));
		registry.add("exogate.subscriptions.recording-first-poll", () -> "200ms");
		registry.add("exogate.subscriptions.recording-max-poll", () -> "1s");
		registry.add("exogate.subscriptions.active-calls-interval", () -> "500ms");
		registry.add("exogate.subscriptions.max-per-connection", () -> String.valueOf(PER_CONNECTION));
		registry.add("exogate.subscriptions.max-per-tenant", () -> String.valueOf(PER_TENANT));
	}

	@LocalServerPort
	int port;

	@Autowired
	RecordingReadiness readiness;

	@Autowired
	LiveCalls live;

	@Autowired
	SubscriptionLimits limits;

	final List<Subscriber> connections = new ArrayList<>();

	@BeforeEach
	void processing() {
		E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": " + PROCESSING.toSeconds() + "}");
		sandbox.reset();
	}

	@AfterEach
	void hangUp() {
		this.connections.forEach(Subscriber::close);
		this.connections.clear();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.readiness.watches().pollers()).isZero();
			assertThat(this.live.watches().pollers()).isZero();
		});
	}

	@AfterAll
	static void stop() throws Exception {
		sandbox.close();
		redis.close();
	}

	@Test
	void recordingReadyCompletesWhenTheSandboxFinishesProcessing() {
		String sid = processingCalls().get(0);
		Received received = connect(E2eSupport.KEY).subscribe(Subscriber.recordingReady(sid));
		// Polled more than once while processing, and nothing sent to the subscriber.
		await().atMost(Duration.ofSeconds(10)).until(() -> recordingPolls() >= 3);
		assertThat(received.results).isEmpty();
		assertThat(received.ended()).isFalse();
		E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": 0}");
		await().atMost(Duration.ofSeconds(10)).until(received::ended);
		assertThat(received.error.get()).isNull();
		assertThat(received.completed).isTrue();
		assertThat(received.results).singleElement().satisfies((result) -> {
			assertThat(Subscriber.path(result, "callSid")).isEqualTo(sid);
			assertThat(Subscriber.path(result, "status")).isEqualTo("AVAILABLE");
			assertThat((String) Subscriber.path(result, "url")).startsWith(sandbox.baseUrl() + "/media/");
			assertThat((String) Subscriber.path(result, "playbackUrl")).contains("/playback/");
		});
		assertThat(sandbox.stats().getOrDefault("v3.calls.get", 0L)).as("a processing recording needs no look at the call").isZero();
	}

	@Test
	void anAvailableRecordingIsEmittedAtOnce() {
		String sid = processingCalls().get(1);
		E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": 0}");
		Received received = connect(E2eSupport.KEY).subscribe(Subscriber.recordingReady(sid));
		await().atMost(Duration.ofSeconds(5)).until(received::ended);
		assertThat(received.completed).isTrue();
		assertThat(received.results).singleElement().satisfies((result) -> assertThat(Subscriber.path(result, "status")).isEqualTo("AVAILABLE"));
		assertThat(recordingPolls()).isOne();
	}

	@Test
	void fiftySubscribersToOneRecordingCostOnePollersRequests() {
		String sid = processingCalls().get(2);
		long started = System.nanoTime();
		List<Received> all = IntStream.range(0, 50).mapToObj((i) -> connect(E2eSupport.KEY).subscribe(Subscriber.recordingReady(sid))).toList();
		RecordingReadiness.Key key = new RecordingReadiness.Key("test", E2eSupport.ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.readiness.watches().watchers(key) == 50);
		assertThat(this.readiness.watches().pollers()).isOne();
		await().atMost(Duration.ofSeconds(10)).until(() -> recordingPolls() >= 4);
		E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": 0}");
		await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch(Received::ended));
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(all).allSatisfy((received) -> {
			assertThat(received.completed).isTrue();
			assertThat(received.results).singleElement().satisfies((result) -> assertThat(Subscriber.path(result, "status")).isEqualTo("AVAILABLE"));
		});
		// One poller: at 0, 0.2, 0.6 and 1.4 s, then every second (and one when the delay was lifted); 50
		// pollers would have made 50 at once.
		long onePoller = 4 + took.toSeconds() + 2;
		assertThat(recordingPolls()).as("%s in %s", sandbox.stats(), took).isBetween(4L, Math.min(onePoller, 49));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.readiness.watches().pollers() == 0);
		long after = E2eSupport.apiRequests(sandbox);
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
			.until(() -> E2eSupport.apiRequests(sandbox) == after);
	}

	@Test
	void subscribersLeavingMidWaitStopThePoller() {
		String sid = processingCalls().get(3);
		List<Subscriber> leaving = IntStream.range(0, 10).mapToObj((i) -> Subscriber.connect(this.port, E2eSupport.KEY)).toList();
		leaving.forEach((connection) -> connection.subscribe(Subscriber.recordingReady(sid)));
		this.connections.addAll(leaving);
		await().atMost(Duration.ofSeconds(10)).until(() -> recordingPolls() >= 2 && this.limits.open("test") == 10);
		assertThat(this.readiness.watches().pollers()).isOne();
		this.connections.removeAll(leaving);
		leaving.forEach(Subscriber::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.readiness.watches().pollers() == 0 && this.limits.open("test") == 0);
		long after = recordingPolls();
		await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> recordingPolls() == after);
	}

	@Test
	void fiftyActiveCallsSubscribersShareOnePollerThatStopsWhenTheyLeave() {
		List<Received> all = IntStream.range(0, 50)
			.mapToObj((i) -> connect(E2eSupport.KEY).subscribe("subscription { activeCalls { sid status } }"))
			.toList();
		await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch((received) -> !received.results.isEmpty()));
		assertThat(this.live.watches().pollers()).isOne();
		assertThat(this.live.watches().watchers(E2eSupport.ACCOUNT)).isEqualTo(50);
		long started = System.nanoTime();
		long before = sandbox.stats().getOrDefault("v3.calls.active", 0L);
		await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.stats().getOrDefault("v3.calls.active", 0L) >= before + 3);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// Every 500 ms for all of them: 50 pollers would make 50 requests per interval.
		assertThat(sandbox.stats().getOrDefault("v3.calls.active", 0L) - before).as("%s in %s", sandbox.stats(), took)
			.isLessThanOrEqualTo(took.toMillis() / 500 + 2);
		assertThat(all).allSatisfy((received) -> {
			assertThat(received.error.get()).isNull();
			assertThat(Subscriber.path(received.results.get(0), "")).isInstanceOf(List.class);
		});
		// A late subscriber gets the latest list at once: one another subscriber had when it joined, or
		// one that came after (the list may change meanwhile).
		List<Map<String, Object>> seen = all.get(0).results;
		int latest = seen.size() - 1;
		Received late = connect(E2eSupport.KEY).subscribe("subscription { activeCalls { sid status } }");
		await().atMost(Duration.ofSeconds(10)).until(() -> !late.results.isEmpty());
		Object first = Subscriber.path(late.results.get(0), "");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen.subList(latest, seen.size()))
			.extracting((result) -> Subscriber.path(result, ""))
			.contains(first));
		this.connections.forEach(Subscriber::close);
		this.connections.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.live.watches().pollers() == 0);
		long after = E2eSupport.apiRequests(sandbox);
		await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4)).until(() -> E2eSupport.apiRequests(sandbox) == after);
	}

	@Test
	@SuppressWarnings("unchecked")
	void activeCallsResolvesEachSubscribersSelectedFields() {
		Received received = connect(E2eSupport.KEY).subscribe("subscription { activeCalls { sid from recording { status } } }");
		await().atMost(Duration.ofSeconds(10)).until(() -> !received.results.isEmpty());
		assertThat(received.error.get()).isNull();
		List<Map<String, Object>> calls = (List<Map<String, Object>>) Subscriber.path(received.results.get(0), "");
		// Fields of other versions are looked up once per list for every subscriber: v1 for from (live calls
		// are not in v1's list yet: null); the recording through the request's DataLoader, one v3 bulk
		// request for every call's recording.
		assertThat(calls).isNotEmpty().allSatisfy((call) -> {
			assertThat(call).containsKey("from");
			assertThat(((Map<String, Object>) call.get("recording")).get("status")).as("%s", call).isIn("NOT_AVAILABLE", "PROCESSING", "AVAILABLE");
		});
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(sandbox.stats().getOrDefault("v1.calls.list", 0L)).isPositive();
			assertThat(sandbox.stats().getOrDefault("v3.voice-logs.bulk", 0L)).isPositive();
		});
		assertThat(received.results.get(0).get("errors")).isNull();
	}

	@Test
	void anotherTenantsAccountIsNotFoundWithNothingSentUpstream() {
		String sid = processingCalls().get(4);
		sandbox.reset();
		Subscriber other = connect(OTHER_KEY);
		Received recording = other.subscribe("subscription { recordingReady(callSid: \"" + sid + "\", account: \"" + E2eSupport.ACCOUNT
				+ "\") { status url } }");
		Received calls = connect(E2eSupport.KEY).subscribe("subscription { activeCalls(account: \"exogate-demo-2\") { sid } }");
		await().atMost(Duration.ofSeconds(5)).until(() -> recording.ended() && calls.ended());
		assertThat(recording.errorCode()).isEqualTo("NOT_FOUND");
		assertThat(recording.errorMessage()).contains(E2eSupport.ACCOUNT);
		assertThat(calls.errorCode()).isEqualTo("NOT_FOUND");
		assertThat(recording.results).isEmpty();
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isZero();
		assertThat(this.readiness.watches().pollers()).isZero();
	}

	@Test
	void anUnknownCallEndsWithNotFound() {
		Received received = connect(E2eSupport.KEY).subscribe(Subscriber.recordingReady("c0ffee00000000000000000000000000"));
		await().atMost(Duration.ofSeconds(5)).until(received::ended);
		assertThat(received.errorCode()).isEqualTo("NOT_FOUND");
		assertThat(received.results).isEmpty();
	}

	@Test
	void aConnectionHoldsAtMostItsShareOfSubscriptions() {
		Subscriber connection = connect(E2eSupport.KEY);
		List<Received> allowed = IntStream.range(0, PER_CONNECTION)
			.mapToObj((i) -> connection.subscribe("subscription { activeCalls { sid } }"))
			.toList();
		await().atMost(Duration.ofSeconds(10)).until(() -> allowed.stream().noneMatch((received) -> received.results.isEmpty()));
		assertThat(this.limits.open("test")).isEqualTo(PER_CONNECTION);
		Received refused = connection.subscribe("subscription { activeCalls { sid } }");
		await().atMost(Duration.ofSeconds(5)).until(refused::ended);
		assertThat(refused.errorCode()).isEqualTo("TOO_MANY_SUBSCRIPTIONS");
		assertThat(refused.errorMessage()).contains("connection already holds " + PER_CONNECTION);
		// One given back makes room for one more.
		allowed.get(0).cancel();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.limits.open("test") == PER_CONNECTION - 1);
		Received again = connection.subscribe("subscription { activeCalls { sid } }");
		await().atMost(Duration.ofSeconds(5)).until(() -> !again.results.isEmpty());
		assertThat(again.error.get()).isNull();
	}

	@Test
	void aTenantHoldsAtMostItsShareOverAllItsConnections() {
		List<Received> allowed = new ArrayList<>();
		for (int i = 0; i < PER_TENANT / PER_CONNECTION; i++) {
			Subscriber connection = connect(OTHER_KEY);
			for (int j = 0; j < PER_CONNECTION; j++) {
				allowed.add(connection.subscribe("subscription { activeCalls { sid } }"));
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> allowed.stream().noneMatch((received) -> received.results.isEmpty()));
		assertThat(this.limits.open("other")).isEqualTo(PER_TENANT);
		Received refused = connect(OTHER_KEY).subscribe("subscription { activeCalls { sid } }");
		await().atMost(Duration.ofSeconds(5)).until(refused::ended);
		assertThat(refused.errorCode()).isEqualTo("TOO_MANY_SUBSCRIPTIONS");
		assertThat(refused.errorMessage()).contains("tenant already holds " + PER_TENANT);
		// Another tenant is not held to this one's count, and one poller serves the whole tenant.
		Received mine = connect(E2eSupport.KEY).subscribe("subscription { activeCalls { sid } }");
		await().atMost(Duration.ofSeconds(5)).until(() -> !mine.results.isEmpty());
		assertThat(this.live.watches().watchers("exogate-demo-2")).isEqualTo(PER_TENANT);
	}

	@Test
	void subscriptionDocumentsMeetTheComplexityLimits() {
		String aliases = IntStream.range(0, 31).mapToObj((i) -> "a" + i + ": sid").reduce((a, b) -> a + " " + b).orElseThrow();
		Received tooMany = connect(E2eSupport.KEY).subscribe("subscription { activeCalls { " + aliases + " } }");
		await().atMost(Duration.ofSeconds(5)).until(tooMany::ended);
		// Refused before it runs: one result holding the error and no data, then completion.
		assertThat(tooMany.results).singleElement().satisfies((result) -> {
			assertThat(result).doesNotContainKey("data");
			assertThat(result.get("errors").toString()).contains("code=QUERY_TOO_COMPLEX", "maxAliases=30");
		});
		assertThat(tooMany.completed).isTrue();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
		assertThat(this.live.watches().pollers()).isZero();
	}

	@Test
	void theNpmGraphQlWsClientReceivesTheRecordingAndCompletion() throws Exception {
		Path client = NodeClient.require();
		String sid = processingCalls().get(5);
		RecordingReadiness.Key key = new RecordingReadiness.Key("test", E2eSupport.ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE);
		NodeClient.Run run = NodeClient.start(client, "subscribe.mjs", "ws://127.0.0.1:" + this.port + "/graphql", E2eSupport.KEY, sid);
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> this.readiness.watches().watchers(key) == 1 || !run.process().isAlive());
			assertThat(run.process().isAlive()).as("the client waits: %s", run.output()).isTrue();
			E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": 0}");
			assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).as("the client ended: %s", run.output()).isTrue();
		}
		finally {
			run.process().destroy();
		}
		List<JsonNode> lines = run.lines();
		assertThat(run.process().exitValue()).as("%s", run.output()).isZero();
		assertThat(lines).as("%s", run.output()).hasSize(2);
		assertThat(lines.get(0).at("/next/data/recordingReady/callSid").asString()).isEqualTo(sid);
		assertThat(lines.get(0).at("/next/data/recordingReady/status").asString()).isEqualTo("AVAILABLE");
		assertThat(lines.get(0).at("/next/data/recordingReady/playbackUrl").asString()).contains("/playback/");
		assertThat(lines.get(1).path("ended").asString()).isEqualTo("complete");
	}

	private Subscriber connect(String key) {
		Subscriber connection = Subscriber.connect(this.port, key);
		this.connections.add(connection);
		return connection;
	}

	/** Recorded calls whose recordings the sandbox is processing, asked through the gateway (then the counters are reset). */
	private List<String> processingCalls() {
		E2eSupport.Answer answer = post("{ calls(first: 100) { edges { node { sid recording { status } } } } }");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> edges = (List<Map<String, Object>>) ((Map<String, Object>) answer.data().get("calls")).get("edges");
		List<String> sids = new ArrayList<>();
		for (Map<String, Object> edge : edges) {
			@SuppressWarnings("unchecked")
			Map<String, Object> node = (Map<String, Object>) edge.get("node");
			@SuppressWarnings("unchecked")
			Map<String, Object> recording = (Map<String, Object>) node.get("recording");
			if ("PROCESSING".equals(recording.get("status"))) {
				sids.add((String) node.get("sid"));
			}
		}
		assertThat(sids).as("calls whose recording is processing").hasSizeGreaterThanOrEqualTo(5);
		sandbox.reset();
		return sids;
	}

	private E2eSupport.Answer post(String query) {
		try {
			java.net.http.HttpResponse<String> response = LoadSupport.http()
				.send(LoadSupport.request(this.port, query), java.net.http.HttpResponse.BodyHandlers.ofString());
			return new E2eSupport.Answer(response.statusCode(), response.body());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static long recordingPolls() {
		Map<String, Long> stats = sandbox.stats();
		return stats.getOrDefault("v3.voice-logs.bulk", 0L) + stats.getOrDefault("v3.voice-logs.get", 0L);
	}


}
