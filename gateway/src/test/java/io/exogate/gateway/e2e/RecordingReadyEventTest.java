package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.gateway.e2e.Subscriber.Received;
import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.subscription.RecordingReadiness;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A call event on the hub makes a waiting {@code recordingReady} poll at once: with polls ten minutes
 * apart, the recording the sandbox has just finished arrives within seconds of the event, after one
 * more request than the first poll.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RecordingReadyEventTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(System.nanoTime()).callsPerAccount(300)
		.processingDelay(Duration.ofHours(1)).build());

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		registry.add("exogate.subscriptions.recording-first-poll", () -> "10m");
		registry.add("exogate.subscriptions.recording-max-poll", () -> "10m");
	}

	@LocalServerPort
	int port;

	@Autowired
	CallEvents events;

	@Autowired
	RecordingReadiness readiness;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void aCallEventMakesRecordingReadyEmitWithoutWaitingForTheBackoff() {
		String sid = processingCall();
		sandbox.reset();
		RecordingReadiness.Key key = new RecordingReadiness.Key("test", E2eSupport.ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE);
		try (Subscriber connection = Subscriber.connect(this.port, E2eSupport.KEY)) {
			Received received = connection.subscribe(Subscriber.recordingReady(sid));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.readiness.watches().watchers(key) == 1 && polls() == 1);
			E2eSupport.faults(sandbox, "POST", "{\"processingDelaySeconds\": 0}");
			// Another call's event, or another account's, wakes nothing.
			this.events.publish(new CallEvent(E2eSupport.ACCOUNT, "another-call", true, true));
			this.events.publish(new CallEvent("exogate-demo-2", sid, true, true));
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> polls() == 1 && !received.ended());
			this.events.publish(new CallEvent(E2eSupport.ACCOUNT, sid, true, true));
			await().atMost(Duration.ofSeconds(5)).until(received::ended);
			assertThat(received.completed).isTrue();
			assertThat(received.results).singleElement()
				.satisfies((result) -> assertThat(Subscriber.path(result, "status")).isEqualTo("AVAILABLE"));
			assertThat(polls()).isEqualTo(2);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.readiness.watches().pollers() == 0);
	}

	private String processingCall() {
		LoadSupport.Answer answer = LoadSupport.post(LoadSupport.http(), this.port,
				"{ calls(first: 50) { edges { node { sid recording { status } } } } }").join();
		List<String> sids = answer.data("calls").path("edges").valueStream()
			.filter((edge) -> edge.at("/node/recording/status").asString().equals("PROCESSING"))
			.map((edge) -> edge.at("/node/sid").asString())
			.toList();
		assertThat(sids).as("%s", answer).isNotEmpty();
		return sids.get(0);
	}

	private static long polls() {
		Map<String, Long> stats = sandbox.stats();
		return stats.getOrDefault("v3.voice-logs.bulk", 0L) + stats.getOrDefault("v3.voice-logs.get", 0L);
	}

}
