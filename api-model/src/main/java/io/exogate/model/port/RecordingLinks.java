package io.exogate.model.port;

import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import reactor.core.publisher.Mono;

/** Asks the media host whether a signed recording link still plays, without account credentials. */
public interface RecordingLinks {

	/**
	 * {@code AVAILABLE} while the link plays, {@code EXPIRED} once it has expired or its signature
	 * no longer holds, {@code NOT_AVAILABLE} when the media is gone; a link that wants account
	 * credentials is an {@code UnauthorizedException}, an unreachable host an
	 * {@code UpstreamUnavailableException}.
	 */
	Mono<RecordingStatus> check(SignedUrl url);

}
