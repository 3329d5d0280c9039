package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.security.Unauthenticated.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.test.StepVerifier;

/**
 * The JWK set fetch against a real server: one request however many ask at once, none again for 30 s
 * after an answer or 5 s after a failure, and a failure (status, body, no answer in time) the token
 * decoder refuses a token for.
 */
class JwkSetFetchTest {

	static final RSAKey KEY = key();

	static final String KEYS = new JWKSet(KEY.toPublicJWK()).toString();

	final MovingClock clock = new MovingClock(Instant.parse("2026-11-23T10:00:00Z"));

	final JwkSetFetch fetch = new JwkSetFetch(this.clock);

	final WebClient web = this.fetch.webClient();

	final AtomicInteger requests = new AtomicInteger();

	/** How the server answers the next request. */
	final AtomicReference<Function<HttpServerResponse, Mono<Void>>> answer = new AtomicReference<>(JwkSetFetchTest::keys);

	final DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
		this.requests.incrementAndGet();
		return this.answer.get().apply(response);
	}).bindNow();

	final String url = "http://127.0.0.1:" + this.server.port() + "/jwks";

	@AfterEach
	void stop() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Test
	void fetchesAskedForAtOnceShareOneRequest() {
		this.answer.set((response) -> Mono.delay(Duration.ofMillis(300)).then(keys(response)));
		Flux.range(0, 20)
			.flatMap((i) -> get(), 20)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((bodies) -> assertThat(bodies).hasSize(20).containsOnly(KEYS))
			.verifyComplete();
		assertThat(this.requests).hasValue(1);
	}

	@Test
	void theKeySetAnswersFor30sBeforeItIsFetchedAgain() {
		get().as(StepVerifier::create).expectNext(KEYS).verifyComplete();
		this.clock.move(Duration.ofSeconds(29));
		get().as(StepVerifier::create).expectNext(KEYS).verifyComplete();
		assertThat(this.requests).hasValue(1);
		this.clock.move(Duration.ofSeconds(1));
		get().as(StepVerifier::create).expectNext(KEYS).verifyComplete();
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void aFailureAnswersFor5sBeforeTheFetchIsTriedAgain() {
		this.answer.set((response) -> response.status(503).send());
		get().as(StepVerifier::create).expectErrorSatisfies(JwkSetFetchTest::unavailable).verify();
		this.answer.set(JwkSetFetchTest::keys);
		this.clock.move(Duration.ofSeconds(4));
		get().as(StepVerifier::create).expectErrorSatisfies(JwkSetFetchTest::unavailable).verify();
		assertThat(this.requests).hasValue(1);
		this.clock.move(Duration.ofSeconds(1));
		get().as(StepVerifier::create).expectNext(KEYS).verifyComplete();
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void anAnswerThatIsNoJwkSetIsAFailure() {
		this.answer.set((response) -> response.sendString(Mono.just("<html>Sign in</html>")).then());
		get().as(StepVerifier::create).expectErrorSatisfies(JwkSetFetchTest::unavailable).verify();
	}

	@Test
	@Timeout(30)
	void aServerThatNeverAnswersFailsWithinTheResponseTimeout() {
		this.answer.set((response) -> Mono.never());
		Duration took = get().as(StepVerifier::create).expectErrorSatisfies(JwkSetFetchTest::unavailable).verify(Duration.ofSeconds(20));
		assertThat(took).isGreaterThanOrEqualTo(JwkSetFetch.RESPONSE_TIMEOUT.minusMillis(100)).isLessThan(JwkSetFetch.FETCH_TIMEOUT);
	}

	@Test
	void theDecoderRefusesATokenWhoseKeysCannotBeFetched() {
		this.answer.set((response) -> response.status(500).send());
		ReactiveJwtDecoder spring = NimbusReactiveJwtDecoder.withJwkSetUri(this.url).webClient(this.web).build();
		String token = token();
		// Spring Security's own answer fails the request rather than refusing the token.
		spring.decode(token).as(StepVerifier::create).expectError(IllegalStateException.class).verify();
		JwkSetFetch.refusingUnavailable(spring).decode(token).as(StepVerifier::create).expectErrorSatisfies((ex) -> {
			assertThat(ex).isInstanceOf(JwkSetFetch.Unavailable.class).hasMessageContaining("answered 500");
			assertThat(Unauthenticated.tokenRefused(ex)).isEqualTo(Reason.KEYS_UNAVAILABLE);
		}).verify();
		assertThat(this.requests).hasValue(1);
		this.answer.set(JwkSetFetchTest::keys);
		this.clock.move(JwkSetFetch.RETRY_AFTER_FAILURE);
		JwkSetFetch.refusingUnavailable(spring).decode(token).as(StepVerifier::create)
			.assertNext((jwt) -> assertThat(jwt.getSubject()).isEqualTo("client-7"))
			.verifyComplete();
	}

	@Test
	void tokensNamingUnknownKeysFetchOnceAndAreRefusedAsInvalid() {
		ReactiveJwtDecoder decoder = JwkSetFetch
			.refusingUnavailable(NimbusReactiveJwtDecoder.withJwkSetUri(this.url).webClient(this.web).build());
		List<String> outcomes = Flux.range(0, 30)
			.flatMap((i) -> decoder.decode(token("unknown-" + i))
				.map((jwt) -> "accepted")
				.onErrorResume((ex) -> Mono.just(Unauthenticated.tokenRefused(ex).name())), 10)
			.collectList()
			.block(Duration.ofSeconds(20));
		assertThat(outcomes).hasSize(30).containsOnly(Reason.INVALID_TOKEN.name());
		assertThat(this.requests).hasValue(1);
	}

	private Mono<String> get() {
		return this.web.get().uri(this.url).retrieve().bodyToMono(String.class);
	}

	private static Mono<Void> keys(HttpServerResponse response) {
		return response.header("Content-Type", "application/json").sendString(Mono.just(KEYS)).then();
	}

	private static void unavailable(Throwable ex) {
		assertThat(JwkSetFetch.unavailable(ex)).as("%s", ex).isNotNull();
	}

	private static String token() {
		return token(KEY.getKeyID());
	}

	/** A token signed by the key, under this key id; it and its signature are registered secrets. */
	private static String token(String keyId) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("client-7")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
		try {
			jwt.sign(new RSASSASigner(KEY));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		TestSecrets.register(jwt.getSignature().toString());
		return TestSecrets.register(jwt.serialize());
	}

	private static RSAKey key() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("exogate-fetch-test").generate();
			TestSecrets.register(key.getPrivateExponent().toString());
			return key;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A clock that stands still until the test moves it. */
	static final class MovingClock extends Clock {

		private final AtomicReference<Instant> now;

		MovingClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		void move(Duration by) {
			this.now.updateAndGet((instant) -> instant.plus(by));
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
