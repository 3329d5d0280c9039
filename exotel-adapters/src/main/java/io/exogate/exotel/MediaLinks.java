package io.exogate.exotel;

import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.RecordingLinks;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Checks whether a signed recording link still plays, with a {@code HEAD} request. The media host
 * answers 403 once a link has expired (or its signature no longer holds): that means "ask the API
 * for a fresh URL", not "forbidden". Links carry their own signature, so no account credentials
 * are sent.
 */
public final class MediaLinks implements RecordingLinks {

	private final WebClient client;

	private final Duration timeout;

	public MediaLinks(WebClient.Builder builder, Duration timeout) {
		this.client = builder.build();
		this.timeout = timeout;
	}

	/**
	 * {@code AVAILABLE} while the link plays, {@code EXPIRED} on 403, {@code NOT_AVAILABLE} on 404;
	 * a 401 (a private, unsigned link) is {@code UnauthorizedException}.
	 */
	@Override
	public Mono<RecordingStatus> check(SignedUrl url) {
		return this.client.head()
			.uri(url.uri())
			.exchangeToMono((response) -> {
				int status = response.statusCode().value();
				Mono<RecordingStatus> answer;
				if (status >= 200 && status < 300) {
					answer = Mono.just(RecordingStatus.AVAILABLE);
				}
				else if (status == 403) {
					answer = Mono.just(RecordingStatus.EXPIRED);
				}
				else if (status == 404 || status == 410) {
					answer = Mono.just(RecordingStatus.NOT_AVAILABLE);
				}
				else if (status == 401) {
					answer = Mono.error(new io.exogate.model.error.UnauthorizedException(
							"The recording host wants account credentials: this is not a signed link"));
				}
				else {
					answer = Mono.error(new UpstreamUnavailableException("The recording host answered " + status));
				}
				return response.releaseBody().then(answer);
			})
			.timeout(this.timeout)
			.onErrorMap(TimeoutException.class, (ex) -> new UpstreamUnavailableException("The recording host did not answer in time"))
			.onErrorMap(WebClientRequestException.class,
					(ex) -> new UpstreamUnavailableException("The recording host could not be reached"));
	}

}
