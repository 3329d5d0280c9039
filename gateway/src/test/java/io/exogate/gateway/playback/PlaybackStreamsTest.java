package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;

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

}
