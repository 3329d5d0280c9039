package io.exogate.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Callbacks are ordered by rank, then time, then content: whatever order they come in, the same one wins. */
class CallStatesTest {

	private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void everyOrderOfTheSameCallbacksEndsInTheSameStateWithOneChangePerStepUp() {
		List<StatusCallback> callbacks = List.of(callback("ringing", null, "2026-11-23 15:30:00", false),
				callback("in-progress", "answered", "2026-11-23 15:30:05", false),
				callback("completed", "terminal", "2026-11-23 15:31:00", false),
				callback("completed", "terminal", "2026-11-23 15:31:00", true));
		CallStates.CallState expected = CallStates.CallState.of(callbacks.get(3));
		for (int round = 0; round < 20; round++) {
			List<StatusCallback> shuffled = new ArrayList<>(callbacks);
			shuffled.addAll(callbacks);
			Collections.shuffle(shuffled, new java.util.Random(round));
			InProcessCallStates states = new InProcessCallStates(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1), 100);
			int changes = 0;
			for (StatusCallback callback : shuffled) {
				changes += states.advance("acme", callback).block() ? 1 : 0;
			}
			assertThat(states.get("acme", "call1").block()).isEqualTo(expected);
			assertThat(changes).isBetween(1, callbacks.size());
		}
	}

	@Test
	void aStaleAnsweredAfterCompletedAndADuplicateChangeNothing() {
		InProcessCallStates states = new InProcessCallStates(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1), 100);
		StatusCallback completed = callback("completed", "terminal", "2026-11-23 15:31:00", true);
		states.advance("acme", completed).as(StepVerifier::create).expectNext(true).verifyComplete();
		states.advance("acme", completed).as(StepVerifier::create).expectNext(false).verifyComplete();
		states.advance("acme", callback("in-progress", "answered", "2026-11-23 15:35:00", false))
			.as(StepVerifier::create)
			.expectNext(false)
			.verifyComplete();
		states.advance("other", completed).as(StepVerifier::create).expectNext(true).verifyComplete();
	}

	private static StatusCallback callback(String status, String event, String updated, boolean recorded) {
		Map<String, String> fields = new java.util.LinkedHashMap<>();
		fields.put("CallSid", "call1");
		fields.put("Status", status);
		if (event != null) {
			fields.put("EventType", event);
		}
		fields.put("DateUpdated", updated);
		fields.put("RecordingUrl", recorded ? "https://recordings.exotel.com/exotelrecordings/acme/call1.mp3" : "");
		return StatusCallback.of(fields);
	}

}
