package io.exogate.model.port;

import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.util.Collection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recordings of one Exotel account, with signed, expiring URLs. A recording that is not playable
 * is a {@link Recording} in a non-available status, not an error.
 */
public interface RecordingSource {

	/** The recording of one call. */
	Mono<Recording> recording(String accountSid, String callSid, RecordingFormat format, RecordingChannel channel);

	/** The recordings of many calls, batched upstream; one result per distinct known SID, in any order. */
	Flux<Recording> recordings(String accountSid, Collection<String> callSids, RecordingFormat format,
			RecordingChannel channel);

}
