package io.exogate.model.recording;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * An accepted recording export.
 *
 * @param exportId Exotel's id for the export
 * @param status its progress
 * @param estimatedTime how long Exotel expects it to take, or {@code null} when not stated
 * @param callbackUrl where the download link will be POSTed
 */
public record RecordingExport(String exportId, ExportStatus status, Duration estimatedTime, URI callbackUrl) {

	public RecordingExport {
		Objects.requireNonNull(exportId, "exportId");
		Objects.requireNonNull(status, "status");
	}

}
