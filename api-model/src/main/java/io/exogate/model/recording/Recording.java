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
 * @param format the audio container; {@link RecordingFormat#UNKNOWN} when upstream named one exogate does not know
 * @param channel single or dual channel; {@link RecordingChannel#UNKNOWN} when upstream named a layout exogate does not know
 * @param duration length of the audio, or {@code null} when unknown
 * @param sizeBytes size of the media, or {@code null} when unknown
 * @param createdAt when the recording was made, or {@code null} when unknown
 * @param rawFormat the format as upstream wrote it, or {@code null} when upstream stated none
 * @param rawChannel the channel layout as upstream wrote it, or {@code null} when upstream stated none
 */
public record Recording(String callSid, RecordingStatus status, SignedUrl url, RecordingFormat format,
		RecordingChannel channel, Duration duration, Long sizeBytes, Instant createdAt, String rawFormat, String rawChannel) {

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

	/** A recording whose format and channel upstream did not state: no raw values. */
	public Recording(String callSid, RecordingStatus status, SignedUrl url, RecordingFormat format, RecordingChannel channel,
			Duration duration, Long sizeBytes, Instant createdAt) {
		this(callSid, status, url, format, channel, duration, sizeBytes, createdAt, null, null);
	}

	/** A recording that is not playable now, in the given status. */
	public static Recording unavailable(String callSid, RecordingStatus status, RecordingFormat format,
			RecordingChannel channel) {
		return unavailable(callSid, status, format, channel, null, null);
	}

	/** A recording that is not playable now, in the given status, with the format and channel as upstream wrote them. */
	public static Recording unavailable(String callSid, RecordingStatus status, RecordingFormat format,
			RecordingChannel channel, String rawFormat, String rawChannel) {
		return new Recording(callSid, status, null, format, channel, null, null, null, rawFormat, rawChannel);
	}

}
