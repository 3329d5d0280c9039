package io.exogate.gateway.playback;

import io.exogate.gateway.logging.Disconnects;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.security.Audit;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.model.error.UnauthorizedException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.MediaCredentials;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET} and {@code HEAD /playback/{token}}: checks the token before anything else (no upstream
 * request for a malformed, forged or expired one), admits the stream within the caps per token and
 * per gateway, finds the recording through the recording cache, and streams its media from the
 * upstream link as it arrives, read only as fast as the client reads, never holding the whole file.
 * A single {@code Range} is passed through (206 or 416 as upstream answers); a multi-range request
 * is served whole (200). An upstream 403 (the signed link expired early) fetches a fresh link once;
 * a second 403 answers 502. Every failure but a client gone away is answered here with a coded JSON
 * error and an audit event, never left to the server's error handler, which would log the token.
 * A private link (no signature) on the account's own Exotel origin is fetched with the account's
 * credentials, and only such a link; redirects are never followed. A media host that owes bytes and
 * sends none for the stall timeout is cut off, and so is the client's connection.
 */
public final class PlaybackHandler {

	private static final Logger logger = LoggerFactory.getLogger(PlaybackHandler.class);

	/** What a refused stream is told to wait before trying again. */
	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private static final MediaType MP3 = MediaType.parseMediaType("audio/mpeg");

	private static final MediaType WAV = MediaType.parseMediaType("audio/wav");

	private static final List<String> PASSED_THROUGH = List.of(HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_RANGE,
			HttpHeaders.LAST_MODIFIED, HttpHeaders.ETAG);

	private final PlaybackTokens tokens;

	private final RecordingService recordings;

	private final Audit audit;

	private final WebClient client;

	private final Duration firstByteTimeout;

	private final MediaCredentials credentials;

	private final PlaybackStreams streams;

	private final Duration stallTimeout;

	private final Scheduler timer;

	/**
	 * @param client fetches the media; it must not follow redirects
	 * @param firstByteTimeout how long the media host has to connect and send its headers
	 * @param credentials the accounts' credentials for private links on their own origins
	 * @param streams the caps on open streams
	 * @param stallTimeout how long the media host may owe bytes without sending any
	 * @param timer times the stall timeout
	 */
	public PlaybackHandler(PlaybackTokens tokens, RecordingService recordings, Audit audit, WebClient client,
			Duration firstByteTimeout, MediaCredentials credentials, PlaybackStreams streams, Duration stallTimeout,
			Scheduler timer) {
		this.tokens = tokens;
		this.recordings = recordings;
		this.audit = audit;
		this.client = client;
		this.firstByteTimeout = firstByteTimeout;
		this.credentials = credentials;
		this.streams = streams;
		this.stallTimeout = stallTimeout;
		this.timer = timer;
	}

	/** Serves one {@code GET} or {@code HEAD}. */
	public Mono<ServerResponse> serve(ServerRequest request) {
		String token = request.pathVariable("token");
		PlaybackToken grant;
		try {
			grant = this.tokens.verify(token);
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
		return Mono.defer(() -> {
			// Admitted on subscription, not before: a slot is never taken for an answer nobody waits for.
			PlaybackStreams.Admission admission = this.streams.admit(token);
			if (admission.slot() != null) {
				request.attributes().put(SlotRelease.ATTRIBUTE, admission.slot());
			}
			return (admission.slot() != null) ? stream(request, grant, head, range, download, admission.slot())
					: refused(grant, range, admission.refusal());
		});
	}

	private Mono<ServerResponse> stream(ServerRequest request, PlaybackToken grant, boolean head, String range, boolean download,
			PlaybackStreams.Slot slot) {
		return Mono.defer(() -> recording(grant))
			.flatMap((recording) -> fetch(grant, recording, head, range)
				.onErrorResume(LinkExpired.class, (expired) -> refreshed(grant).flatMap((fresh) -> fetch(grant, fresh, head, range)
					.onErrorMap(LinkExpired.class, (again) -> new UpstreamFailed("The recording host refused a fresh link too (403).")))))
			.flatMap((upstream) -> respond(request, grant, upstream, range, download, slot))
			.switchIfEmpty(Mono.defer(() -> {
				slot.release();
				played(grant, range, "not-available");
				return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "The recording is not available.");
			}))
			.onErrorResume(UpstreamFailed.class, (ex) -> {
				slot.release();
				played(grant, range, "upstream-failed");
				return error(HttpStatus.BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", ex.getMessage());
			})
			// Anything else but a client gone away is answered here too: the server's own error handler would log the
			// request line, token included, at ERROR and answer 500.
			.onErrorResume((ex) -> !Disconnects.isDisconnect(ex), (ex) -> failed(grant, range, slot, ex))
			.doFinally((signal) -> {
				// Answered with a body: the body releases the slot when it ends. Anything else ends here.
				if (signal != SignalType.ON_COMPLETE) {
					slot.release();
				}
			});
	}

	/** A failure no other branch answered: 404 when the lookup found no such recording or account, 502 otherwise. */
	private Mono<ServerResponse> failed(PlaybackToken grant, String range, PlaybackStreams.Slot slot, Throwable ex) {
		slot.release();
		if (ex instanceof ExogateException known && "NOT_FOUND".equals(known.code())) {
			played(grant, range, "not-found");
			return error(HttpStatus.NOT_FOUND, "NOT_FOUND", "The recording is not available.");
		}
		logger.warn("Playback of call {} failed: {}", grant.callSid(), ex.getClass().getName());
		played(grant, range, "failed");
		return error(HttpStatus.BAD_GATEWAY, "UPSTREAM_UNAVAILABLE", "The recording could not be played now.");
	}

	private Mono<ServerResponse> refused(PlaybackToken grant, String range, PlaybackStreams.Refusal refusal) {
		long seconds = RETRY_AFTER.toSeconds();
		if (refusal == PlaybackStreams.Refusal.TOKEN) {
			played(grant, range, "too-many-streams");
			return error(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "This playback link already has "
					+ this.streams.perToken() + " streams open: close one, or try again in " + seconds + " seconds.", seconds);
		}
		if (refusal == PlaybackStreams.Refusal.RATE) {
			long wait = this.streams.secondsToNextMinute();
			played(grant, range, "too-many-requests");
			return error(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED", "This playback link was asked for "
					+ this.streams.requestsPerMinute() + " times this minute: try again in " + wait + " seconds.", wait);
		}
		played(grant, range, "gateway-busy");
		return error(HttpStatus.SERVICE_UNAVAILABLE, "PLAYBACK_BUSY",
				"The gateway is serving as many playback streams as it may: try again in " + seconds + " seconds.", seconds);
	}

	private Mono<Recording> recording(PlaybackToken grant) {
		return this.recordings.recording(grant.tenant(), grant.account(), grant.callSid(), grant.format(), grant.channel())
			.filter((recording) -> recording.status() == RecordingStatus.AVAILABLE)
			// Exotel down, over budget or refusing the account's credentials: no link to play, a 502 like a media host failure.
			.onErrorMap((ex) -> ex instanceof UpstreamUnavailableException || ex instanceof RateLimitedException
					|| ex instanceof UnauthorizedException, (ex) -> new UpstreamFailed("The recording could not be looked up now."));
	}

	private Mono<Recording> refreshed(PlaybackToken grant) {
		return this.recordings.refresh(grant.tenant(), grant.account(), grant.callSid(), grant.format(), grant.channel())
			.then(Mono.defer(() -> recording(grant)));
	}

	/**
	 * The upstream answer once its headers are in; its body still to be streamed. A link on the
	 * account's own origin is fetched with its credentials when it carries no signature (a query),
	 * or when it answers 401 without them; any other link never gets them.
	 */
	private Mono<ResponseEntity<Flux<DataBuffer>>> fetch(PlaybackToken grant, Recording recording, boolean head, String range) {
		Optional<String> authorization = this.credentials.authorization(grant.account(), recording.url().uri());
		boolean unsigned = recording.url().uri().getRawQuery() == null;
		if (authorization.isPresent() && unsigned) {
			return fetch(recording, head, range, authorization.get());
		}
		return fetch(recording, head, range, null).onErrorResume(WantsCredentials.class,
				(ex) -> authorization.isPresent() ? fetch(recording, head, range, authorization.get())
						: Mono.error(new UpstreamFailed("The recording host answered 401.")));
	}

	private Mono<ResponseEntity<Flux<DataBuffer>>> fetch(Recording recording, boolean head, String range, String authorization) {
		return this.client.method(head ? HttpMethod.HEAD : HttpMethod.GET)
			.uri(recording.url().uri())
			.headers((headers) -> {
				if (range != null) {
					headers.set(HttpHeaders.RANGE, range);
				}
				if (authorization != null) {
					headers.set(HttpHeaders.AUTHORIZATION, authorization);
				}
			})
			.retrieve()
			.onStatus((status) -> status.value() == 401, (response) -> response.releaseBody()
				.then(Mono.error((authorization == null) ? new WantsCredentials() : new UpstreamFailed("The recording host answered 401."))))
			.onStatus(HttpStatusCode::is3xxRedirection, (response) -> response.releaseBody()
				.then(Mono.error(new UpstreamFailed("The recording host answered with a redirect, which is not followed."))))
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

	private Mono<ServerResponse> respond(ServerRequest request, PlaybackToken grant, ResponseEntity<Flux<DataBuffer>> upstream,
			String range, boolean download, PlaybackStreams.Slot slot) {
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
		Flux<DataBuffer> source = slot.hold((upstream.getBody() != null) ? upstream.getBody() : Flux.empty());
		// Read from upstream only as the client's socket takes it (the server asks for more as it writes),
		// cut off when the media host owes bytes and sends none, and free the slot however it ends.
		Flux<DataBuffer> body = StallGuard.guard(source, this.stallTimeout, this.timer)
			.onErrorResume((ex) -> {
				if (ex instanceof StallGuard.Stalled) {
					logger.debug("The recording host of call {} stopped sending for {}: connection closed", grant.callSid(),
							this.stallTimeout);
				}
				else {
					// Not left to the server, which would log the request line, token included.
					logger.warn("The recording host of call {} failed mid-body ({}): connection closed", grant.callSid(),
							ex.getClass().getName());
				}
				abort(request);
				return Flux.empty();
			})
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.doFinally((signal) -> slot.release());
		return response.body(BodyInserters.fromDataBuffers(body));
	}

	/** Closes the client's connection: a response cut short must not look complete on a connection kept alive. */
	private static void abort(ServerRequest request) {
		Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(request.exchange().getResponse());
		if (nativeResponse instanceof reactor.netty.Connection connection) {
			connection.dispose();
		}
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
		return error(status, code, message, 0);
	}

	private static Mono<ServerResponse> error(HttpStatus status, String code, String message, long retryAfterSeconds) {
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", code);
		if (retryAfterSeconds > 0) {
			extensions.put("retryAfterSeconds", retryAfterSeconds);
		}
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("extensions", extensions);
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				headers.setCacheControl("no-store");
				if (retryAfterSeconds > 0) {
					headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
				}
			})
			.bodyValue(Map.of("errors", List.of(error)));
	}

	/** The link answered 401 to a request without credentials. */
	private static final class WantsCredentials extends RuntimeException {

		WantsCredentials() {
			super("wants credentials", null, false, false);
		}

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
