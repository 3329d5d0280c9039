package io.exogate.model.port;

import io.exogate.model.recording.RecordingExport;
import io.exogate.model.recording.RecordingExportRequest;
import reactor.core.publisher.Mono;

/** Starts bulk exports of recordings. Starting an export is not idempotent and is never retried blindly. */
public interface RecordingExports {

	/** Asks Exotel to export the window's recordings; the download link arrives at the request's callback URL. */
	Mono<RecordingExport> requestExport(String accountSid, RecordingExportRequest request);

}
