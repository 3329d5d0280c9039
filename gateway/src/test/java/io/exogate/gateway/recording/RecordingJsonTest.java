package io.exogate.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the cache keeps of a recording comes back whole, upstream's raw vocabulary included. */
class RecordingJsonTest {

	@Test
	void aRecordingInAFormatExogateDoesNotKnowKeepsItsRawValuesThroughTheCache() {
		Recording recording = new Recording("c1", RecordingStatus.AVAILABLE,
				new SignedUrl(URI.create("https://media.example/c1.ogg?expires=1"), Instant.parse("2026-11-20T10:00:00Z")),
				RecordingFormat.UNKNOWN, RecordingChannel.UNKNOWN, Duration.ofSeconds(42), 1234L,
				Instant.parse("2026-11-20T09:00:00Z"), "ogg", "quad");
		assertThat(RecordingJson.read(RecordingJson.write(recording))).isEqualTo(recording);
	}

	@Test
	void aValueThisVersionCannotReadIsAMiss() {
		assertThat(RecordingJson.read("{\"callSid\":\"c1\",\"status\":\"SOMETHING_NEW\"}")).isNull();
		assertThat(RecordingJson.read("not json")).isNull();
	}

}
