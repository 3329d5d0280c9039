package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.Deadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Timeouts, retries, backoff, Retry-After and the circuit breaker, under virtual time. */
class UpstreamResilienceTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private final AtomicInteger exchanges = new AtomicInteger();

	private final Queue<Mono<ClientResponse>> answers = new ConcurrentLinkedQueue<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private RequestBudget budget;

	@AfterEach
	void close() throws Exception {
		if (this.budget != null) {
			this.budget.close();
		}
	}

	@Test
	void fiveHundredsAreRetriedWithExponentialBackoff() {
		answer(HttpStatus.SERVICE_UNAVAILABLE, null, "<html>503</html>");
		answer(HttpStatus.BAD_GATEWAY, null, "<html>502</html>");
		answer(HttpStatus.OK, null, "{\"ok\":true}");
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.then(() -> assertThat(this.exchanges).hasValue(1))
			.expectNoEvent(Duration.ofMillis(199))
			.then(() -> assertThat(this.exchanges).hasValue(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(this.exchanges).hasValue(2))
			.expectNoEvent(Duration.ofMillis(399))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("{\"ok\":true}")
			.verifyComplete();
		assertThat(this.exchanges).hasValue(3);
		assertThat(this.registry.counter("exotel.retries", "account", "acc", "version", "v1").count()).isEqualTo(2);
	}

	@Test
	void a429WaitsForRetryAfter() {
		answer(HttpStatus.TOO_MANY_REQUESTS, "5", "{}");
		answer(HttpStatus.OK, null, "ok");
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(4999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("ok")
			.verifyComplete();
	}

	@Test
	void aPauseLongerThanARequestMayWaitFailsItAtOnceAsRateLimited() {
		answer(HttpStatus.TOO_MANY_REQUESTS, "600", "{}");
		answer(HttpStatus.OK, null, "ok");
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(10))
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(RateLimitedException.class)
				.extracting((limited) -> ((RateLimitedException) limited).retryAfterSeconds()).isEqualTo(600L));
		assertThat(this.exchanges).as("Exotel saw one request: the 429 itself").hasValue(1);
	}

	@Test
	void a429PausesEveryRequestOfTheAccountUntilRetryAfterSoExotelSeesOnlyOne() {
		answer(HttpStatus.TOO_MANY_REQUESTS, "5", "{}");
		answer(HttpStatus.OK, null, "first");
		answer(HttpStatus.OK, null, "second");
		Upstream upstream = upstream();
		StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/a")
			.zipWith(Mono.delay(Duration.ofSeconds(1)).then(upstream.get("calls.get", "/b")), (a, b) -> a + "," + b))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.then(() -> assertThat(this.exchanges).as("the second request waits for the pause").hasValue(1))
			.thenAwait(Duration.ofMillis(2999))
			.then(() -> assertThat(this.exchanges).hasValue(1))
			.thenAwait(Duration.ofMillis(10))
			.then(() -> assertThat(this.exchanges).as("when the pause ends, one request alone probes Exotel").hasValue(2))
			.thenAwait(Duration.ofSeconds(5))
			.assertNext((both) -> assertThat(both).contains("first").contains("second"))
			.verifyComplete();
		assertThat(this.exchanges).hasValue(3);
		assertThat(this.registry.counter("exotel.rate_limited", "account", "acc", "version", "v1").count()).isEqualTo(1);
	}

	@Test
	void anAnswerToARequestSentBeforeThePauseDoesNotEndIt() {
		// Deferred, so that the delays run on the virtual clock the verifier installs.
		this.answers.add(Mono.defer(() -> Mono.delay(Duration.ofMillis(100)).then(Mono.just(ClientResponse
			.create(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", "5").body("{}").build()))));
		this.answers.add(Mono.defer(() -> Mono.delay(Duration.ofMillis(200))
			.then(Mono.just(ClientResponse.create(HttpStatus.OK).body("in flight").build()))));
		answer(HttpStatus.OK, null, "after the pause");
		answer(HttpStatus.OK, null, "retried");
		Upstream upstream = upstream();
		StepVerifier.withVirtualTime(() -> Mono.zip(upstream.get("calls.get", "/a"), upstream.get("calls.get", "/b"),
				Mono.delay(Duration.ofMillis(300)).then(upstream.get("calls.get", "/c"))))
			.expectSubscription()
			.thenAwait(Duration.ofMillis(4000))
			.then(() -> assertThat(this.exchanges).as("the in-flight success did not end the pause").hasValue(2))
			.thenAwait(Duration.ofSeconds(20))
			.assertNext((all) -> assertThat(all.getT2()).isEqualTo("in flight"))
			.verifyComplete();
		assertThat(this.exchanges).hasValue(4);
	}

	@Test
	void anExotel4xxTheRequestCausedIsNeitherRetriedNorCountedAgainstTheCircuit() {
		for (int i = 0; i < 40; i++) {
			answer(HttpStatus.URI_TOO_LONG, null, "<html>414</html>");
		}
		Upstream upstream = upstream();
		for (int i = 0; i < 40; i++) {
			StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x"))
				.expectSubscription()
				.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(BadRequestException.class).hasMessageContaining("414"));
		}
		assertThat(this.exchanges).as("one exchange per request, none retried").hasValue(40);
		assertThat(upstream.circuitBreaker().getState().name()).isEqualTo("CLOSED");
		assertThat(upstream.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void refusedCredentialsAreReportedToTheOperatorOnceNotPerRequestAndWithoutThem() {
		ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Upstream.class);
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			Upstream upstream = upstream();
			for (int i = 0; i < 3; i++) {
				answer(HttpStatus.UNAUTHORIZED, null, "{}");
				StepVerifier.create(upstream.get("calls.get", "/x"))
					.verifyError(io.exogate.model.error.UnauthorizedException.class);
			}
			assertThat(appender.list).hasSize(1).allSatisfy((event) -> {
				assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
				assertThat(event.getFormattedMessage()).contains("acc").doesNotContain("\"k\"").doesNotContain("v4-token:");
			});
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void anOpenCircuitFailsAtOnceWithoutRetryOrBudget() {
		Upstream upstream = upstream(5);
		upstream.circuitBreaker().transitionToOpenState();
		for (int i = 0; i < 10; i++) {
			StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x"))
				.expectSubscription()
				.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(UpstreamUnavailableException.class)
					.hasMessageContaining("paused"));
		}
		assertThat(this.exchanges).hasValue(0);
		assertThat(this.registry.find("exotel.retries").counter()).isNull();
		upstream.circuitBreaker().transitionToClosedState();
		for (int i = 0; i < RequestBudget.burst(5); i++) {
			answer(HttpStatus.OK, null, "ok");
			StepVerifier.create(upstream.get("calls.get", "/x")).expectNext("ok").as("the open circuit spent no token").verifyComplete();
		}
	}

	@Test
	void oneDeadlineBoundsEveryAttemptAndRetry() {
		for (int i = 0; i < 3; i++) {
			this.answers.add(Mono.never());
		}
		Upstream upstream = upstream();
		StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x")
			.contextWrite((context) -> Deadline.after(Duration.ofMillis(2500)).writeTo(context)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(2499))
			.thenAwait(Duration.ofMillis(1))
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(UpstreamUnavailableException.class)
				.hasMessageContaining("deadline"));
		assertThat(this.exchanges).as("the deadline came before the first attempt's own timeout").hasValue(1);
	}

	@Test
	void attemptsAreBoundedAndTheLastErrorSurfaces() {
		for (int i = 0; i < 5; i++) {
			answer(HttpStatus.TOO_MANY_REQUESTS, "1", "{\"RestException\":{\"Message\":\"Rate limit exceeded\"}}");
		}
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.thenAwait(Duration.ofMinutes(1))
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(RateLimitedException.class).hasMessageContaining("Rate limit exceeded"));
		assertThat(this.exchanges).hasValue(3);
	}

	@Test
	void aSlowAnswerTimesOutAndIsRetried() {
		this.answers.add(Mono.never());
		this.answers.add(Mono.never());
		answer(HttpStatus.OK, null, "late but fine");
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.expectNoEvent(TIMEOUT.minusMillis(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(this.exchanges).as("timed out, waiting to retry").hasValue(1))
			.thenAwait(Duration.ofMillis(200).plus(TIMEOUT).plus(Duration.ofMillis(400)))
			.expectNext("late but fine")
			.verifyComplete();
	}

	@Test
	void timeoutsEndAsUpstreamUnavailable() {
		for (int i = 0; i < 3; i++) {
			this.answers.add(Mono.never());
		}
		StepVerifier.withVirtualTime(() -> upstream().get("calls.get", "/x"))
			.expectSubscription()
			.thenAwait(Duration.ofMinutes(1))
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(UpstreamUnavailableException.class)
				.hasMessageContaining("did not answer in time"));
	}

	@Test
	void clientErrorsAreNotRetried() {
		answer(HttpStatus.NOT_FOUND, null, "{}");
		answer(HttpStatus.BAD_REQUEST, null, "{\"RestException\":{\"Message\":\"PageSize must be between 1 and 100\"}}");
		Upstream upstream = upstream();
		StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x")).expectSubscription().verifyError(NotFoundException.class);
		StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x"))
			.expectSubscription()
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(BadRequestException.class).hasMessageContaining("PageSize"));
		assertThat(this.exchanges).hasValue(2);
	}

	@Test
	void aNonIdempotentPostIsNeverRetried() {
		answer(HttpStatus.SERVICE_UNAVAILABLE, null, "<html>503</html>");
		answer(HttpStatus.ACCEPTED, null, "{}");
		StepVerifier.withVirtualTime(() -> upstream().post("voice-logs.export", "/x", java.util.Map.of("a", 1), false))
			.expectSubscription()
			.thenAwait(Duration.ofMinutes(1))
			.verifyError(UpstreamUnavailableException.class);
		assertThat(this.exchanges).hasValue(1);
	}

	@Test
	void theCircuitOpensAfterRepeatedFailuresAndStopsCallingExotel() {
		for (int i = 0; i < 100; i++) {
			answer(HttpStatus.INTERNAL_SERVER_ERROR, null, "<html>500</html>");
		}
		Upstream upstream = upstream();
		for (int i = 0; i < 7; i++) {
			StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x"))
				.expectSubscription()
				.thenAwait(Duration.ofMinutes(1))
				.verifyError(UpstreamUnavailableException.class);
		}
		int before = this.exchanges.get();
		StepVerifier.withVirtualTime(() -> upstream.get("calls.get", "/x"))
			.expectSubscription()
			.thenAwait(Duration.ofMinutes(1))
			.verifyErrorSatisfies((error) -> assertThat(error).hasMessageContaining("paused"));
		assertThat(this.exchanges.get()).isEqualTo(before);
		assertThat(upstream.circuitBreaker().getState().name()).isEqualTo("OPEN");
	}

	@Test
	void nothingIsSentBeforeSubscription() {
		answer(HttpStatus.OK, null, "ok");
		upstream().get("calls.get", "/x");
		assertThat(this.exchanges).hasValue(0);
	}

	private void answer(HttpStatus status, String retryAfter, String body) {
		ClientResponse.Builder response = ClientResponse.create(status).body(body);
		if (retryAfter != null) {
			response.header("Retry-After", retryAfter);
		}
		this.answers.add(Mono.just(response.build()));
	}

	private Upstream upstream() {
		return upstream(100_000);
	}

	private Upstream upstream(int perMinute) {
		ExotelProperties properties = new ExotelProperties(List.of(new ExotelProperties.Account("acc", null, "k", "t", "v4", null,
				perMinute, null, null, null)), null, new ExotelProperties.Resilience(3, Duration.ofMillis(200), Duration.ofSeconds(10), 50, 20,
				Duration.ofSeconds(30)), null, null, null);
		AdapterMetrics metrics = new AdapterMetrics(this.registry);
		this.budget = RequestBudget.inProcess(properties, metrics);
		ExchangeFunction exchange = (request) -> {
			this.exchanges.incrementAndGet();
			Mono<ClientResponse> next = this.answers.poll();
			return (next != null) ? next : Mono.error(new IllegalStateException("no answer scripted"));
		};
		WebClient client = WebClient.builder().exchangeFunction(exchange).build();
		return new Upstream("acc", ApiVersion.V1, URI.create("http://exotel.invalid"), client, this.budget, metrics,
				properties.resilience(), TIMEOUT);
	}

}
