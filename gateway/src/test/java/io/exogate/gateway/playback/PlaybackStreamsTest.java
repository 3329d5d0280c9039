package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlaybackStreamsTest {

	@Test
	void aTokenHoldsAtMostItsCapAndASlotIsFreedOnce() {
		PlaybackStreams streams = new PlaybackStreams(2, 10);
		PlaybackStreams.Slot first = streams.admit("p.a").slot();
		PlaybackStreams.Slot second = streams.admit("p.a").slot();
		assertThat(streams.admit("p.a").refusal()).isEqualTo(PlaybackStreams.Refusal.TOKEN);
		assertThat(streams.admit("p.b").slot()).as("another token has its own count").isNotNull();
		assertThat(streams.open("p.a")).isEqualTo(2);
		assertThat(streams.open()).isEqualTo(3);
		first.release();
		first.release();
		assertThat(streams.open("p.a")).isEqualTo(1);
		assertThat(streams.open()).isEqualTo(2);
		assertThat(streams.admit("p.a").slot()).isNotNull();
		second.release();
	}

	@Test
	void theGatewayCapRefusesWhateverTheToken() {
		PlaybackStreams streams = new PlaybackStreams(4, 2);
		PlaybackStreams.Slot a = streams.admit("p.a").slot();
		streams.admit("p.b");
		PlaybackStreams.Admission third = streams.admit("p.c");
		assertThat(third.refusal()).isEqualTo(PlaybackStreams.Refusal.GATEWAY);
		assertThat(streams.open("p.c")).as("a refused stream holds nothing").isZero();
		assertThat(streams.open()).isEqualTo(2);
		a.release();
		assertThat(streams.admit("p.c").slot()).isNotNull();
	}

	@Test
	void aTokenMakesAtMostItsRequestsAMinuteHeadsAndRefusalsIncluded() {
		SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:15:00Z"));
		PlaybackStreams streams = new PlaybackStreams(2, 100, 5, clock);
		for (int i = 0; i < 5; i++) {
			PlaybackStreams.Admission admission = streams.admit("p.a");
			if (admission.slot() != null) {
				admission.slot().release();
			}
		}
		assertThat(streams.admit("p.a").refusal()).isEqualTo(PlaybackStreams.Refusal.RATE);
		assertThat(streams.admit("p.b").slot()).as("another token counts its own").isNotNull();
		assertThat(streams.secondsToNextMinute()).isEqualTo(60);
		clock.advance(Duration.ofSeconds(45));
		assertThat(streams.admit("p.a").refusal()).isEqualTo(PlaybackStreams.Refusal.RATE);
		assertThat(streams.secondsToNextMinute()).isEqualTo(15);
		clock.advance(Duration.ofSeconds(15));
		assertThat(streams.admit("p.a").slot()).as("a new minute, a new count").isNotNull();
	}

}
