package io.exogate.model.recording;

import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import java.net.URI;
import java.util.Objects;

/**
 * A request to export every recording of a time window as one archive, announced to a callback.
 *
 * @param window the calls' time window
 * @param format the audio format of the exported recordings
 * @param callbackUrl where Exotel POSTs the download link when the archive is ready
 */
public record RecordingExportRequest(TimeWindow window, RecordingFormat format, URI callbackUrl) {

	/** The longest window Exotel exports at once. */
	public static final java.time.Duration MAX_WINDOW = java.time.Duration.ofDays(31);

	public RecordingExportRequest {
		if (window == null) {
			throw new BadRequestException("An export needs a time window");
		}
		if (java.time.Duration.between(window.from(), window.to()).compareTo(MAX_WINDOW) > 0) {
			throw new BadRequestException("An export spans at most 31 days (Exotel's limit); split the window");
		}
		Objects.requireNonNull(format, "format");
		if (callbackUrl == null || !callbackUrl.isAbsolute()
				|| !("https".equalsIgnoreCase(callbackUrl.getScheme()) || "http".equalsIgnoreCase(callbackUrl.getScheme()))
				|| callbackUrl.getHost() == null) {
			throw new BadRequestException("callbackUrl must be an absolute http(s) URL with a host");
		}
		if (callbackUrl.getUserInfo() != null) {
			throw new BadRequestException("callbackUrl must not carry credentials; use a secret query parameter instead");
		}
	}

}
