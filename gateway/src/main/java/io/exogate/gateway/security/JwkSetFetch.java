package io.exogate.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The fetch of the token issuer's JWK set: connected within {@link #CONNECT_TIMEOUT}, answered within
 * {@link #RESPONSE_TIMEOUT}, and made once at a time and at most once per {@link #REFETCH_AFTER}
 * ({@link #RETRY_AFTER_FAILURE} after a failure), however many tokens name a key the set lacks: every
 * fetch asked for in between is answered with the last one. A fetch that fails, times out, answers
 * other than 2xx or with no JWK set fails as {@link Unavailable}, which {@link #refusingUnavailable}
 * makes the decoder's answer, so that such a token is refused 401 rather than failing the request.
 */
final class JwkSetFetch implements ExchangeFilterFunction {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(3);

	/** The whole fetch, connection, answer and body. */
	static final Duration FETCH_TIMEOUT = CONNECT_TIMEOUT.plus(RESPONSE_TIMEOUT);

	/** How long a fetched JWK set answers for the issuer before a token naming an unknown key fetches it again. */
	static final Duration REFETCH_AFTER = Duration.ofSeconds(30);

	/** How long a failed fetch answers for the issuer before it is tried again. */
	static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(JwkSetFetch.class);

	private final Clock clock;

	private final ConcurrentMap<URI, Fetch> fetches = new ConcurrentHashMap<>();

	JwkSetFetch(Clock clock) {
		this.clock = clock;
	}

	/** A client that fetches through this, with its timeouts. */
	WebClient webClient() {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
			.responseTimeout(RESPONSE_TIMEOUT);
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).filter(this).build();
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> this.fetches.compute(request.url(), (url, last) -> {
			Instant now = this.clock.instant();
			return (last != null && last.answers(now)) ? last : new Fetch(fetch(request, next), now, this.clock);
		}).keys())
			// The failure is shared by every caller of the fetch: each gets one of its own.
			.onErrorMap(Unavailable.class, (ex) -> new Unavailable(ex.reason, ex.getCause()))
			.map((keys) -> ClientResponse.create(HttpStatus.OK)
				.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
				.body(keys)
				.build());
	}

	/** The JWK set the request fetches, as text, or an {@link Unavailable}. */
	private Mono<String> fetch(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request)
			.flatMap((response) -> response.statusCode().is2xxSuccessful() ? response.bodyToMono(String.class).defaultIfEmpty("")
					: response.releaseBody()
						.then(Mono.error(new Unavailable("the issuer answered " + response.statusCode().value(), null))))
			.flatMap(JwkSetFetch::jwkSet)
			.timeout(FETCH_TIMEOUT)
			.onErrorMap((ex) -> !(ex instanceof Unavailable), (ex) -> new Unavailable(reason(ex), ex))
			.doOnError(Unavailable.class, (ex) -> logger.warn("The token issuer's JWK set could not be fetched ({}): tokens naming"
					+ " a key not fetched before are refused until it is, tried again in {} s", ex.reason,
					RETRY_AFTER_FAILURE.toSeconds()));
	}

	/** What went wrong, as the innermost failure's type: {@code ConnectException}, {@code ReadTimeoutException}, ... */
	private static String reason(Throwable failure) {
		Throwable innermost = failure;
		while (innermost.getCause() != null && innermost.getCause() != innermost) {
			innermost = innermost.getCause();
		}
		return innermost.getClass().getSimpleName();
	}

	private static Mono<String> jwkSet(String body) {
		try {
			JWKSet.parse(body);
			return Mono.just(body);
		}
		catch (ParseException ex) {
			return Mono.error(new Unavailable("the issuer answered no JWK set", ex));
		}
	}

	/**
	 * The decoder, answering a token it could not check for want of the issuer's keys with the
	 * {@link Unavailable} that says so (Spring Security's own answer, an {@link IllegalStateException},
	 * would fail the request rather than refuse the token).
	 */
	static ReactiveJwtDecoder refusingUnavailable(ReactiveJwtDecoder decoder) {
		return (token) -> Mono.defer(() -> decoder.decode(token))
			.onErrorMap((ex) -> !(ex instanceof Unavailable) && unavailable(ex) != null, JwkSetFetch::unavailable);
	}

	/** The {@link Unavailable} that is the failure or one of its causes, or {@code null}. */
	static Unavailable unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof Unavailable unavailable) {
				return unavailable;
			}
		}
		return null;
	}

	/** One fetch, answering every caller until it is due again. */
	private static final class Fetch {

		private final Mono<String> keys;

		private final Instant started;

		/** When the fetch answered or failed; {@code null} while it runs. */
		private volatile Instant settled;

		private volatile boolean failed;

		Fetch(Mono<String> fetch, Instant started, Clock clock) {
			this.started = started;
			this.keys = fetch.doOnEach((signal) -> {
				if (signal.isOnNext() || signal.isOnError()) {
					this.failed = signal.isOnError();
					this.settled = clock.instant();
				}
			}).cache();
		}

		Mono<String> keys() {
			return this.keys;
		}

		/** Whether the fetch still answers at this instant, rather than a new one. */
		boolean answers(Instant now) {
			Instant settled = this.settled;
			if (settled == null) {
				// Running: the timeout ends it, unless every caller left and it was never finished.
				return now.isBefore(this.started.plus(FETCH_TIMEOUT).plusSeconds(1));
			}
			return now.isBefore(settled.plus(this.failed ? RETRY_AFTER_FAILURE : REFETCH_AFTER));
		}

	}

	/** The issuer's keys could not be fetched: a token needing them is refused, as not checked. */
	static final class Unavailable extends BadJwtException {

		private final String reason;

		Unavailable(String reason, Throwable cause) {
			super("The token issuer's JWK set could not be fetched: " + reason, cause);
			this.reason = reason;
		}

	}

}
