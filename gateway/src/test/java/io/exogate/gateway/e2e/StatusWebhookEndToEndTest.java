package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.e2e.E2eSupport.Answer;
import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.webhook.CallStates;
import io.exogate.gateway.webhook.CallStates.CallState;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;

/**
 * Exotel's status callbacks over real HTTP: replayed out of order and twice they reach the same
 * final state with exactly one event (and one eviction of the call's cached recordings) per real
 * change; every refusal (401, 400, 413, 415) changes nothing and publishes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusWebhookEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(20).build());

	static final String ANSWERED_AT = "2026-11-23 10:00:05";

	static final String COMPLETED_AT = "2026-11-23 10:01:02";

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
	}

	@AfterAll
	static void stopSandbox() {
		sandbox.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	CallEvents events;

	@Autowired
	CallStates states;

	@Autowired
	RecordingService recordings;

	private final List<CallEvent> heard = new CopyOnWriteArrayList<>();

	private Disposable listening;

	@BeforeEach
	void listen() {
		this.listening = this.events.events().subscribe(this.heard::add);
	}

	@AfterEach
	void stopListening() {
		this.listening.dispose();
	}

	@Test
	void callbacksReplayedOutOfOrderAndTwiceReachTheSameFinalState() {
		String inOrder = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
		String reversed = "0f9e8d7c6b5a49382716f5e4d3c2b1a0";
		cache(inOrder);
		cache(reversed);

		// In order, each twice: answered, answered, completed, completed.
		assertThat(status(WebhookSupport.answered(inOrder, ANSWERED_AT))).isEqualTo(204);
		assertThat(status(WebhookSupport.answered(inOrder, ANSWERED_AT))).isEqualTo(204);
		assertThat(cached(inOrder)).as("an answered call's recording cache is evicted").isFalse();
		cache(inOrder);
		assertThat(status(WebhookSupport.completed(inOrder, COMPLETED_AT))).isEqualTo(204);
		assertThat(cached(inOrder)).as("completion evicts again").isFalse();
		cache(inOrder);
		assertThat(status(WebhookSupport.completed(inOrder, COMPLETED_AT))).isEqualTo(204);
		assertThat(cached(inOrder)).as("a duplicate completion evicts nothing").isTrue();

		// Out of order, each twice: completed, answered (stale), completed, answered.
		assertThat(status(WebhookSupport.completed(reversed, COMPLETED_AT))).isEqualTo(204);
		assertThat(cached(reversed)).isFalse();
		cache(reversed);
		assertThat(status(WebhookSupport.answered(reversed, ANSWERED_AT))).isEqualTo(204);
		assertThat(status(WebhookSupport.completed(reversed, COMPLETED_AT))).isEqualTo(204);
		assertThat(status(WebhookSupport.answered(reversed, ANSWERED_AT))).isEqualTo(204);
		assertThat(cached(reversed)).as("a stale answered after completed evicts nothing").isTrue();

		CallState first = this.states.get(E2eSupport.ACCOUNT, inOrder).block(Duration.ofSeconds(5));
		CallState second = this.states.get(E2eSupport.ACCOUNT, reversed).block(Duration.ofSeconds(5));
		assertThat(first).isNotNull().isEqualTo(second);
		assertThat(first.status()).isEqualTo("completed");
		assertThat(first.recordingAvailable()).isTrue();

		assertThat(this.heard.stream().filter((event) -> event.callSid().equals(inOrder)))
			.as("one event per real change in order: answered, then completed")
			.containsExactly(new CallEvent(E2eSupport.ACCOUNT, inOrder, false, false),
					new CallEvent(E2eSupport.ACCOUNT, inOrder, true, true));
		assertThat(this.heard.stream().filter((event) -> event.callSid().equals(reversed)))
			.as("out of order only the completion is a change")
			.containsExactly(new CallEvent(E2eSupport.ACCOUNT, reversed, true, true));
	}

	@Test
	void aLaterUpdateOfTheSameRankIsAChangeAndAnEarlierOneIsNot() {
		String sid = "c0ffee00c0ffee00c0ffee00c0ffee00";
		assertThat(status(WebhookSupport.completed(sid, COMPLETED_AT))).isEqualTo(204);
		Map<String, String> earlier = WebhookSupport.completed(sid, "2026-11-23 10:00:59");
		earlier.put("Status", "failed");
		assertThat(status(earlier)).isEqualTo(204);
		assertThat(this.states.get(E2eSupport.ACCOUNT, sid).block(Duration.ofSeconds(5)).status()).isEqualTo("completed");
		assertThat(status(WebhookSupport.completed(sid, "2026-11-23 10:03:00"))).isEqualTo(204);
		assertThat(this.heard.stream().filter((event) -> event.callSid().equals(sid))).hasSize(2);
	}

	@Test
	void refusalsChangeNothingAndPublishNothing() {
		String sid = "deadbeefdeadbeefdeadbeefdeadbeef";
		String form = WebhookSupport.form(WebhookSupport.completed(sid, COMPLETED_AT));
		cache(sid);

		Answer wrong = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", "not-the-secret-at-all-0000", WebhookSupport.FORM, form);
		Answer missing = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", null, WebhookSupport.FORM, form);
		Answer unknown = WebhookSupport.post(this.port, "exogate-nobody", "status", E2eSupport.CALLBACK_SECRET, WebhookSupport.FORM, form);
		assertThat(List.of(wrong.status(), missing.status(), unknown.status())).containsOnly(401);
		assertThat(wrong.body()).as("an unknown account answers as a wrong secret does").isEqualTo(unknown.body()).isEqualTo(missing.body());
		assertThat(wrong.body()).doesNotContain(E2eSupport.CALLBACK_SECRET).contains("UNAUTHENTICATED");

		Map<String, String> noSid = WebhookSupport.completed(sid, COMPLETED_AT);
		noSid.remove("CallSid");
		Map<String, String> badStatus = WebhookSupport.completed(sid, COMPLETED_AT);
		badStatus.put("Status", "completed; DROP TABLE");
		Map<String, String> badSid = WebhookSupport.completed(sid, COMPLETED_AT);
		badSid.put("CallSid", "../../" + sid);
		Map<String, String> oversized = WebhookSupport.completed(sid, COMPLETED_AT);
		oversized.put("CustomField", "x".repeat(3000));
		Map<String, String> badTime = WebhookSupport.completed(sid, COMPLETED_AT);
		badTime.put("DateUpdated", "yesterday");
		for (Map<String, String> malformed : List.of(noSid, badStatus, badSid, oversized, badTime)) {
			Answer answer = WebhookSupport.status(this.port, E2eSupport.CALLBACK_SECRET, malformed);
			assertThat(answer.status()).as("%s", answer.body()).isEqualTo(400);
			assertThat(answer.errors()).singleElement()
				.satisfies((error) -> assertThat(error.get("message").toString()).startsWith("The callback is malformed"));
		}
		Answer badEncoding = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", E2eSupport.CALLBACK_SECRET,
				WebhookSupport.FORM, "CallSid=%zz&Status=completed");
		assertThat(badEncoding.status()).isEqualTo(400);
		Answer json = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", E2eSupport.CALLBACK_SECRET, "application/json",
				"{\"CallSid\":\"" + sid + "\",\"Status\":\"completed\"}");
		assertThat(json.status()).isEqualTo(415);
		Answer none = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", E2eSupport.CALLBACK_SECRET, null, form);
		assertThat(none.status()).isEqualTo(415);
		Answer big = WebhookSupport.post(this.port, E2eSupport.ACCOUNT, "status", E2eSupport.CALLBACK_SECRET, WebhookSupport.FORM,
				form + "&Padding=" + "y".repeat(20_000));
		assertThat(big.status()).isEqualTo(413);

		assertThat(this.states.get(E2eSupport.ACCOUNT, sid).blockOptional(Duration.ofSeconds(5))).as("no state was kept").isEmpty();
		assertThat(this.heard).as("nothing was published").noneMatch((event) -> event.callSid().equals(sid));
		assertThat(cached(sid)).as("nothing was evicted").isTrue();

		assertThat(WebhookSupport.status(this.port, E2eSupport.CALLBACK_SECRET, WebhookSupport.completed(sid, COMPLETED_AT)).status())
			.as("the same callback, well-formed and authenticated, is applied")
			.isEqualTo(204);
		assertThat(cached(sid)).isFalse();
		assertThat(this.heard).filteredOn((event) -> event.callSid().equals(sid)).hasSize(1);
	}

	private int status(Map<String, String> fields) {
		return WebhookSupport.status(this.port, E2eSupport.CALLBACK_SECRET, fields).status();
	}

	private String key(String sid) {
		return RecordingService.key("test", E2eSupport.ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE);
	}

	private void cache(String sid) {
		this.recordings.cache().putAll(Map.of(key(sid), "{}"), Map.of(key(sid), Duration.ofMinutes(5))).block(Duration.ofSeconds(5));
	}

	private boolean cached(String sid) {
		return this.recordings.cache().getAll(List.of(key(sid))).block(Duration.ofSeconds(5)).containsKey(key(sid));
	}

}
