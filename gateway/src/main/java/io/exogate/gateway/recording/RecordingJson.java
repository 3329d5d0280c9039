package io.exogate.gateway.recording;

import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;

/** How a recording is stored in the cache. */
final class RecordingJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private RecordingJson() {
	}

	static String write(Recording recording) {
		return MAPPER.writeValueAsString(new Stored(recording.callSid(), recording.status().name(),
				(recording.url() != null) ? recording.url().uri().toString() : null,
				(recording.url() != null) ? recording.url().expiresAt().toEpochMilli() : null, recording.format().name(),
				recording.channel().name(), (recording.duration() != null) ? recording.duration().getSeconds() : null,
				recording.sizeBytes(), (recording.createdAt() != null) ? recording.createdAt().toEpochMilli() : null,
				recording.rawFormat(), recording.rawChannel()));
	}

	/** The recording, or {@code null} for a value this version cannot read. */
	static Recording read(String json) {
		try {
			Stored stored = MAPPER.readValue(json, Stored.class);
			SignedUrl url = (stored.url() != null) ? new SignedUrl(URI.create(stored.url()), Instant.ofEpochMilli(stored.expiresAt())) : null;
			return new Recording(stored.callSid(), RecordingStatus.valueOf(stored.status()), url,
					RecordingFormat.valueOf(stored.format()), RecordingChannel.valueOf(stored.channel()),
					(stored.durationSeconds() != null) ? Duration.ofSeconds(stored.durationSeconds()) : null, stored.sizeBytes(),
					(stored.createdAt() != null) ? Instant.ofEpochMilli(stored.createdAt()) : null, stored.rawFormat(),
					stored.rawChannel());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	record Stored(String callSid, String status, String url, Long expiresAt, String format, String channel, Long durationSeconds,
			Long sizeBytes, Long createdAt, String rawFormat, String rawChannel) {
	}

}
