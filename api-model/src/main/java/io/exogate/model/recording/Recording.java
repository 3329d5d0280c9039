package io.exogate.model.recording;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A call's recording in one format and channel layout.
 *
 * @param callSid the call it belongs to
 * @param status whether it can be played
 * @param url the signed link; present exactly when {@code status} is {@link RecordingStatus#AVAILABLE}
 * @param format the audio container
 * @param channel single or dual channel
 * @param duration length of the audio, or {@code null} when unknown
 * @param sizeBytes size of the media, or {@code null} when unknown
 * @param createdAt when the recording was made, or {@code null} when unknown
 */
public record Recording(String callSid, RecordingStatus status, SignedUrl url, RecordingFormat format,
		RecordingChannel channel, Duration duration, Long sizeBytes, Instant createdAt) {

	public Recording {
		if (callSid == null || callSid.isBlank()) {
			throw new IllegalArgumentException("A recording needs its call SID");
		}
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(format, "format");
		Objects.requireNonNull(channel, "channel");
		if (status == RecordingStatus.AVAILABLE && url == null) {
			throw new IllegalArgumentException("An available recording needs a signed URL");
		}
		if (status != RecordingStatus.AVAILABLE && url != null) {
			throw new IllegalArgumentException("Only an available recording carries a URL, not a " + status + " one");
		}
		if (duration != null && duration.isNegative()) {
			throw new IllegalArgumentException("Recording duration cannot be negative");
		}
		if (sizeBytes != null && sizeBytes < 0) {
			throw new IllegalArgumentException("Recording size cannot be negative");
		}
	}

	/** A recording that is not playable now, in the given status. */
	public static Recording unavailable(String callSid, RecordingStatus status, RecordingFormat format,
			RecordingChannel channel) {
		return new Recording(callSid, status, null, format, channel, null, null, null);
	}

}
