package io.exogate.exotel;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.model.error.UnauthorizedException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.Deadline;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * One account's connection to one Exotel API version: its {@link WebClient} (built once), its
 * request budget, and Resilience4j's time limiter, retry and circuit breaker around every request.
 * Only idempotent requests are retried, on 429 (after {@code Retry-After}, capped) and on 5xx,
 * timeouts and connection failures.
 */
public final class Upstream {

	/** A budget wait ends at least this long before the request's deadline, leaving Exotel time to answer. */
	static final Duration ANSWER_RESERVE = Duration.ofSeconds(1);

	private static final Duration DEADLINE_GRACE = Duration.ofMillis(100);

	private static final Duration CREDENTIALS_WARN_EVERY = Duration.ofMinutes(5);

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(Upstream.class);

	private final java.util.concurrent.atomic.AtomicLong lastCredentialsWarning = new java.util.concurrent.atomic.AtomicLong(
			System.nanoTime() - CREDENTIALS_WARN_EVERY.toNanos() - 1);

	private final String accountSid;

	private final ApiVersion version;

	private final String versionLabel;

	private final URI baseUrl;

	private final WebClient client;

	private final RequestBudget budget;

	private final AdapterMetrics metrics;

	private final Retry retry;

	private final CircuitBreaker circuitBreaker;

	private final TimeLimiter timeLimiter;

	public Upstream(String accountSid, ApiVersion version, URI baseUrl, WebClient client, RequestBudget budget,
			AdapterMetrics metrics, ExotelProperties.Resilience resilience, Duration timeout) {
		this.accountSid = accountSid;
		this.version = version;
		this.versionLabel = version.name().toLowerCase(java.util.Locale.ROOT);
		this.baseUrl = baseUrl;
		this.client = client;
		this.budget = budget;
		this.metrics = metrics;
		String name = accountSid + "-" + this.versionLabel;
		Duration initial = resilience.initialBackoff();
		Duration cap = resilience.maxRetryAfter();
		IntervalBiFunction<Object> interval = (attempt, result) -> {
			Throwable error = result.isLeft() ? result.getLeft() : null;
			if (error instanceof RateLimitedException) {
				// The 429 paused the account's budget: the next attempt waits there, with every other request.
				return 1L;
			}
			long backoff = initial.toMillis() << Math.min(attempt - 1, 16);
			return Math.min(backoff, cap.toMillis());
		};
		this.retry = Retry.of(name, RetryConfig.custom()
			.maxAttempts(resilience.maxAttempts())
			.intervalBiFunction(interval)
			.retryOnException(UpstreamErrors::isRetryable)
			.failAfterMaxAttempts(false)
			.build());
		this.retry.getEventPublisher().onRetry((event) -> this.metrics.retry(this.accountSid, this.versionLabel));
		this.circuitBreaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
			.failureRateThreshold(resilience.failureRateThreshold())
			.slidingWindowSize(resilience.slidingWindowSize())
			.minimumNumberOfCalls(resilience.slidingWindowSize())
			.waitDurationInOpenState(resilience.openStateWait())
			.recordException((error) -> error instanceof UpstreamUnavailableException || error instanceof TimeoutException)
			.ignoreExceptions(Final.class)
			.build());
		this.timeLimiter = TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build());
	}

	/** The API version this connection speaks. */
	public ApiVersion version() {
		return this.version;
	}

	/** The account SID in this connection's paths. */
	public String accountSid() {
		return this.accountSid;
	}

	/** The circuit breaker, for health reporting. */
	public CircuitBreaker circuitBreaker() {
		return this.circuitBreaker;
	}

	/** An idempotent GET of {@code pathAndQuery} (already encoded), retried when worth it. */
	public Mono<String> get(String endpoint, String pathAndQuery) {
		return execute(endpoint, HttpMethod.GET, pathAndQuery, null, true);
	}

	/** A POST of a JSON body; retried only when {@code idempotent}. */
	public Mono<String> post(String endpoint, String pathAndQuery, Object body, boolean idempotent) {
		return execute(endpoint, HttpMethod.POST, pathAndQuery, WireJson.write(body), idempotent);
	}

	private Mono<String> execute(String endpoint, HttpMethod method, String pathAndQuery, String body, boolean idempotent) {
		URI uri;
		try {
			uri = URI.create(this.baseUrl.toString().replaceAll("/+$", "") + pathAndQuery);
		}
		catch (IllegalArgumentException ex) {
			return Mono.error(new UpstreamUnavailableException("Exotel " + this.versionLabel + " gave an unusable link"));
		}
		return Mono.deferContextual((context) -> {
			Deadline deadline = Deadline.of(context);
			Mono<String> attempt = Mono.defer(() -> attempt(endpoint, method, uri, body, deadline));
			Mono<String> resilient = idempotent ? attempt.transformDeferred(RetryOperator.of(this.retry)) : attempt;
			if (deadline != null) {
				Duration left = deadline.remaining();
				// A little grace, so that an attempt cut at the deadline is the one that reports it (and the circuit counts it).
				resilient = resilient.timeout((left.isNegative() ? Duration.ZERO : left).plus(DEADLINE_GRACE),
						Mono.error(() -> new Final(pastDeadline())));
				// A client that went away stops its upstream work: no further wait, attempt or retry.
				resilient = Mono.firstWithSignal(resilient,
						deadline.abandoned().then(Mono.error(() -> new Final(new UpstreamUnavailableException(
								"The request was abandoned before Exotel " + this.versionLabel + " answered")))));
			}
			return resilient.onErrorMap(Final.class, (failure) -> failure.error);
		});
	}

	/**
	 * One attempt: the circuit is asked first (an open circuit fails at once, spending no budget),
	 * then the budget, waiting at most until {@link #ANSWER_RESERVE} before the deadline so that
	 * Exotel has time to answer a request it will count; the exchange itself ends by the deadline,
	 * and a timeout there counts against the circuit. A 429 pauses the account's budget.
	 */
	private Mono<String> attempt(String endpoint, HttpMethod method, URI uri, String body, Deadline deadline) {
		if (deadline != null && deadline.hasPassed()) {
			return Mono.error(new Final(pastDeadline()));
		}
		Mono<Long> ticket = (deadline != null)
				? this.budget.admit(this.accountSid, this.versionLabel, deadline.remaining().minus(ANSWER_RESERVE))
				: this.budget.admit(this.accountSid, this.versionLabel, Duration.ofDays(1));
		return ticket
			.onErrorMap(RateLimitedException.class, Final::new)
			.flatMap((admitted) -> {
				long started = System.nanoTime();
				Mono<String> exchange = exchange(method, uri, body).transformDeferred(TimeLimiterOperator.of(this.timeLimiter));
				if (deadline != null) {
					Duration left = deadline.remaining();
					exchange = exchange.timeout(left.isNegative() ? Duration.ZERO : left, Mono.error(this::pastDeadline));
				}
				return exchange.onErrorMap(this::toModelError)
					.doOnSuccess((ok) -> {
						this.budget.resumed(this.accountSid, admitted);
						this.metrics.request(this.accountSid, this.versionLabel, endpoint, "success",
								Duration.ofNanos(System.nanoTime() - started));
					})
					.doOnError((error) -> {
						if (error instanceof RateLimitedException) {
							this.metrics.rateLimited(this.accountSid, this.versionLabel);
						}
						else if (error instanceof ExogateException) {
							this.budget.resumed(this.accountSid, admitted);
						}
						if (error instanceof UnauthorizedException) {
							warnCredentials();
						}
						this.metrics.request(this.accountSid, this.versionLabel, endpoint, outcome(error),
								Duration.ofNanos(System.nanoTime() - started));
					})
					.onErrorResume(RateLimitedException.class,
							(limited) -> this.budget.pause(this.accountSid, limited.retryAfter(), admitted).then(Mono.error(limited)));
			})
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			// Counted by the circuit above, but past the deadline no retry can help.
			.onErrorMap((error) -> error instanceof UpstreamUnavailableException && deadline != null && deadline.hasPassed(),
					(error) -> new Final((UpstreamUnavailableException) error))
			.onErrorMap(CallNotPermittedException.class, (ex) -> new Final(new UpstreamUnavailableException(
					"Exotel " + this.versionLabel + " is failing for account " + this.accountSid + "; requests are paused briefly")));
	}

	/** Refused credentials are the operator's to fix: one WARN every five minutes per account and version, never the credentials. */
	private void warnCredentials() {
		long now = System.nanoTime();
		long last = this.lastCredentialsWarning.get();
		if (now - last > CREDENTIALS_WARN_EVERY.toNanos() && this.lastCredentialsWarning.compareAndSet(last, now)) {
			logger.warn("Exotel {} refuses the configured credentials of account {}: check its api-key/api-token or v4-token",
					this.versionLabel, this.accountSid);
		}
	}

	private UpstreamUnavailableException pastDeadline() {
		return new UpstreamUnavailableException("Exotel " + this.versionLabel + " did not answer within the request's deadline");
	}

	private Mono<String> exchange(HttpMethod method, URI uri, String body) {
		WebClient.RequestBodySpec request = this.client.method(method).uri(uri);
		WebClient.RequestHeadersSpec<?> spec = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body.getBytes(StandardCharsets.UTF_8)) : request;
		return spec.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> response.bodyToMono(String.class).defaultIfEmpty("").flatMap((text) -> {
				int status = response.statusCode().value();
				if (status >= 200 && status < 300) {
					return Mono.just(text);
				}
				String retryAfter = response.headers().asHttpHeaders().getFirst("Retry-After");
				return Mono.error(UpstreamErrors.map(this.versionLabel, status, retryAfter, text));
			}));
	}

	private Throwable toModelError(Throwable error) {
		if (error instanceof ExogateException) {
			return error;
		}
		if (error instanceof TimeoutException) {
			return new UpstreamUnavailableException("Exotel " + this.versionLabel + " did not answer in time", error);
		}
		if (error instanceof WebClientRequestException) {
			return new UpstreamUnavailableException("Exotel " + this.versionLabel + " could not be reached", error);
		}
		return new UpstreamUnavailableException("Exotel " + this.versionLabel + " answered something unreadable", error);
	}

	/** A failure no retry can help (our own budget, an open circuit, a passed deadline); unwrapped after the retry. */
	private static final class Final extends RuntimeException {

		private final transient ExogateException error;

		Final(ExogateException error) {
			super(error.getMessage(), null, false, false);
			this.error = error;
		}

	}

	private static String outcome(Throwable error) {
		return (error instanceof ExogateException exogate) ? exogate.code().toLowerCase(java.util.Locale.ROOT) : "error";
	}

}
