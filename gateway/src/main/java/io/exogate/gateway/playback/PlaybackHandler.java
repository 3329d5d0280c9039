package io.exogate.gateway.playback;

import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.security.Audit;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET} and {@code HEAD /playback/{token}}: checks the token before anything else (no upstream
 * request for a malformed, forged or expired one), finds the recording through the recording cache,
 * and streams its media from the signed upstream link as it arrives, never holding the whole file.
 * A single {@code Range} is passed through (206 or 416 as upstream answers); a multi-range request
 * is served whole (200). An upstream 403 (the signed link expired early) fetches a fresh link once.
 */
public final class PlaybackHandler {

	private static final MediaType MP3 = MediaType.parseMediaType("audio/mpeg");

	private static final MediaType WAV = MediaType.parseMediaType("audio/wav");

	private static final List<String> PASSED_THROUGH = List.of(HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_RANGE,
			HttpHeaders.LAST_MODIFIED, HttpHeaders.ETAG);

	private final PlaybackTokens tokens;

	private final RecordingService recordings;

	private final Audit audit;

	private final WebClient client;

	private final Duration firstByteTimeout;

	public PlaybackHandler(PlaybackTokens tokens, RecordingService recordings, Audit audit, WebClient client,
			Duration firstByteTimeout) {
		this.tokens = tokens;
		this.recordings = recordings;
		this.audit = audit;
		this.client = client;
		this.firstByteTimeout = firstByteTimeout;
	}

	/** Serves one {@code GET} or {@code HEAD}. */
	public Mono<ServerResponse> serve(ServerRequest request) {
		PlaybackToken grant;
		try {
			grant = this.tokens.verify(request.pathVariable("token"));
		}
		catch (PlaybackTokenException ex) {
			this.audit.unauthenticated("playback-token-" + ex.kind().name().toLowerCase(Locale.ROOT), PlaybackLinks.PATH, null);
			HttpStatus status = (ex.kind() == PlaybackTokenException.Kind.MALFORMED) ? HttpStatus.BAD_REQUEST : HttpStatus.UNAUTHORIZED;
			String code = switch (ex.kind()) {
				case MALFORMED -> "BAD_REQUEST";
				case FORGED -> "UNAUTHENTICATED";
				case EXPIRED -> "PLAYBACK_LINK_EXPIRED";
			};
			return error(status, code, ex.getMessage());
		}
		boolean head = request.method() == HttpMethod.HEAD;
		String range = singleRange(request.headers().firstHeader(HttpHeaders.RANGE));
		boolean download = "true".equalsIgnoreCase(request.queryParam("download").orElse(null));
		return Mono.defer(() -> recording(grant))
			.flatMap((recording) -> fetch(recording, head, range)
				.onErrorResume(LinkExpired.class, (expired) -> refreshed(grant).flatMap((fresh) -> fetch(fresh, head, range))))
			.flatMap((upstream) -> respond(grant, upstream, range, download))
			.switchIfEmpty(Mono.defer(() -> {
				played(grant, range, "not-available");
				return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "The recording is not available.");
			}))
			.onErrorResume(UpstreamFailed.class, (ex) -> {
				played(grant, range, "upstream-failed");
				return error(HttpStatus.BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", ex.getMessage());
			});
	}

	private Mono<Recording> recording(PlaybackToken grant) {
		return this.recordings.recording(grant.tenant(), grant.account(), grant.callSid(), grant.format(), grant.channel())
			.filter((recording) -> recording.status() == RecordingStatus.AVAILABLE);
	}

	private Mono<Recording> refreshed(PlaybackToken grant) {
		String key = RecordingService.key(grant.tenant(), grant.account(), grant.callSid(), grant.format(), grant.channel());
		return this.recordings.cache().evict(List.of(key)).then(Mono.defer(() -> recording(grant)));
	}

	/** The upstream answer once its headers are in; its body still to be streamed. */
	private Mono<ResponseEntity<Flux<DataBuffer>>> fetch(Recording recording, boolean head, String range) {
		return this.client.method(head ? HttpMethod.HEAD : HttpMethod.GET)
			.uri(recording.url().uri())
			.headers((headers) -> {
				if (range != null) {
					headers.set(HttpHeaders.RANGE, range);
				}
			})
			.retrieve()
			.onStatus((status) -> status.value() == 403, (response) -> response.releaseBody().then(Mono.error(new LinkExpired())))
			.onStatus((status) -> status.value() == 404 || status.value() == 410,
					(response) -> response.releaseBody().then(Mono.error(new Gone())))
			.onStatus((status) -> status.value() == 416, (response) -> Mono.empty())
			.onStatus(HttpStatusCode::isError, (response) -> response.releaseBody()
				.then(Mono.error(new UpstreamFailed("The recording host answered " + response.statusCode().value() + "."))))
			.toEntityFlux(DataBuffer.class)
			.timeout(this.firstByteTimeout)
			.onErrorMap(TimeoutException.class, (ex) -> new UpstreamFailed("The recording host did not answer in time."))
			.onErrorMap(WebClientRequestException.class, (ex) -> new UpstreamFailed("The recording host could not be reached."))
			.onErrorResume(Gone.class, (ex) -> Mono.empty());
	}

	private Mono<ServerResponse> respond(PlaybackToken grant, ResponseEntity<Flux<DataBuffer>> upstream, String range,
			boolean download) {
		int status = upstream.getStatusCode().value();
		played(grant, range, Integer.toString(status));
		ServerResponse.BodyBuilder response = ServerResponse.status(upstream.getStatusCode()).headers((headers) -> {
			PASSED_THROUGH.forEach((name) -> {
				String value = upstream.getHeaders().getFirst(name);
				if (value != null) {
					headers.set(name, value);
				}
			});
			headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
			headers.setCacheControl("private, no-store");
			if (status != 416) {
				headers.setContentType((grant.format() == RecordingFormat.WAV) ? WAV : MP3);
			}
			if (download) {
				headers.set(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + grant.callSid() + "."
						+ ((grant.format() == RecordingFormat.WAV) ? "wav" : "mp3") + "\"");
			}
		});
		Flux<DataBuffer> body = (upstream.getBody() != null) ? upstream.getBody() : Flux.empty();
		return response.body(BodyInserters.fromDataBuffers(body));
	}

	private void played(PlaybackToken grant, String range, String result) {
		this.audit.playback(grant.tenant(), grant.account(), grant.callSid(), grant.format().name(), grant.channel().name(), range,
				result);
	}

	/** The {@code Range} to pass upstream: a single byte range as given; none for a multi-range or non-byte one (served whole). */
	static String singleRange(String range) {
		if (range == null || range.length() > 100 || !range.regionMatches(true, 0, "bytes=", 0, 6) || range.indexOf(',') >= 0) {
			return null;
		}
		return range.matches("(?i)bytes=(\\d{1,19}-\\d{0,19}|-\\d{1,19})") ? range : null;
	}

	private static Mono<ServerResponse> error(HttpStatus status, String code, String message) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.setCacheControl("no-store"))
			.bodyValue(Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code)))));
	}

	/** The signed upstream link answered 403: it expired or was revoked before its time. */
	private static final class LinkExpired extends RuntimeException {

		LinkExpired() {
			super("expired", null, false, false);
		}

	}

	/** The media is gone upstream. */
	private static final class Gone extends RuntimeException {

		Gone() {
			super("gone", null, false, false);
		}

	}

	/** The media host failed or did not answer in time. */
	private static final class UpstreamFailed extends RuntimeException {

		UpstreamFailed(String message) {
			super(message, null, false, false);
		}

	}

}
