package io.exogate.gateway.persisted;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.exotel.test.SettableClock;
import io.exogate.exotel.test.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Both stores: per tenant, a time to live, a bound in process; in Redis, a bound per tenant and time-to-live
 * window, and Redis out of reach (a miss, never an error).
 */
class PersistedQueryStoreTest {

	private static final String DOCUMENT = "{ accounts { sid } }";

	private static final String HASH = DocumentHash.of(DOCUMENT);

	private static TestRedis redis;

	private static RedisClient client;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
		client = RedisClient.create(redis.url());
	}

	@AfterAll
	static void stopRedis() throws Exception {
		client.shutdown();
		redis.close();
	}

	@Test
	void inProcessDocumentsArePerTenantAndExpire() {
		SettableClock clock = new SettableClock(Instant.parse("2026-11-20T10:00:00Z"));
		InProcessPersistedQueryStore store = new InProcessPersistedQueryStore(clock, 100, Duration.ofHours(24));
		store.save("acme", HASH, DOCUMENT).as(StepVerifier::create).verifyComplete();
		store.find("acme", HASH).as(StepVerifier::create).expectNext(DOCUMENT).verifyComplete();
		store.find("globex", HASH).as(StepVerifier::create).verifyComplete();
		clock.advance(Duration.ofHours(24).minusSeconds(1));
		store.find("acme", HASH).as(StepVerifier::create).expectNext(DOCUMENT).verifyComplete();
		clock.advance(Duration.ofSeconds(1));
		store.find("acme", HASH).as(StepVerifier::create).verifyComplete();
	}

	@Test
	void theInProcessStoreHoldsNoMoreThanItsBound() {
		InProcessPersistedQueryStore store = new InProcessPersistedQueryStore(new SettableClock(Instant.EPOCH), 10, Duration.ofHours(1));
		Flux.range(0, 500).concatMap((i) -> store.save("acme", hash(i), "{ a" + i + " }")).blockLast();
		long kept = IntStream.range(0, 500).filter((i) -> store.find("acme", hash(i)).block() != null).count();
		assertThat(kept).isBetween(1L, 10L);
	}

	@Test
	void redisKeepsDocumentsPerTenantUnderTheirKeyWithTheTimeToLive() {
		String acme = "acme-" + UUID.randomUUID();
		String globex = "globex-" + UUID.randomUUID();
		try (RedisPersistedQueryStore store = new RedisPersistedQueryStore(client, RedisURI.create(redis.url()), Duration.ofHours(24),
				2_000, Duration.ofMillis(500)); StatefulRedisConnection<String, String> direct = client.connect()) {
			store.find(acme, HASH).as(StepVerifier::create).verifyComplete();
			store.save(acme, HASH, DOCUMENT).as(StepVerifier::create).verifyComplete();
			store.find(acme, HASH).as(StepVerifier::create).expectNext(DOCUMENT).verifyComplete();
			store.find(globex, HASH).as(StepVerifier::create).verifyComplete();
			String key = "exogate:apq:" + acme + ":" + HASH;
			assertThat(direct.sync().get(key)).isEqualTo(DOCUMENT);
			assertThat(direct.sync().pttl(key)).isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());
			direct.sync().del(key);
		}
	}

	@Test
	void redisKeepsNoMoreRegistrationsPerTenantAndWindowThanTheAllowance() {
		String acme = "acme-" + UUID.randomUUID();
		String globex = "globex-" + UUID.randomUUID();
		String counter = "exogate:apq:registrations:" + acme;
		Logger log = (Logger) LoggerFactory.getLogger(RedisPersistedQueryStore.class);
		ListAppender<ILoggingEvent> warnings = new ListAppender<>();
		warnings.start();
		log.addAppender(warnings);
		try (RedisPersistedQueryStore store = new RedisPersistedQueryStore(client, RedisURI.create(redis.url()), Duration.ofHours(1),
				3, Duration.ofMillis(500)); StatefulRedisConnection<String, String> direct = client.connect()) {
			Flux.range(0, 5).concatMap((i) -> store.save(acme, hash(i), "{ a" + i + " }")).blockLast();
			for (int i = 0; i < 5; i++) {
				store.find(acme, hash(i)).as(StepVerifier::create).expectNextCount((i < 3) ? 1 : 0).verifyComplete();
			}
			assertThat(direct.sync().get(counter)).isEqualTo("5");
			assertThat(direct.sync().pttl(counter)).as("the window is the time to live, set on the first registration")
				.isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
			assertThat(warnings.list).filteredOn((event) -> event.getLevel() == Level.WARN).singleElement().satisfies((event) -> {
				assertThat(event.getFormattedMessage()).contains(acme).contains("allowance of 3").doesNotContain("{ a");
			});

			store.save(globex, hash(4), "{ a4 }").as(StepVerifier::create).verifyComplete();
			store.find(globex, hash(4)).as(StepVerifier::create).expectNext("{ a4 }").verifyComplete();

			// The window ends: the allowance is whole again.
			direct.sync().del(counter);
			store.save(acme, hash(4), "{ a4 }").as(StepVerifier::create).verifyComplete();
			store.find(acme, hash(4)).as(StepVerifier::create).expectNext("{ a4 }").verifyComplete();

			// A counter left without an expiry is given one, so that no tenant is shut out for good.
			direct.sync().set(counter, "9");
			store.save(acme, hash(5), "{ a5 }").as(StepVerifier::create).verifyComplete();
			store.find(acme, hash(5)).as(StepVerifier::create).verifyComplete();
			assertThat(direct.sync().pttl(counter)).isPositive();
			direct.sync().del(counter, "exogate:apq:registrations:" + globex);
		}
		finally {
			log.detachAppender(warnings);
		}
	}

	@Test
	void redisOutOfReachIsAMissAndKeepsNothingWithoutAnError() {
		RedisClient down = RedisClient.create("redis://127.0.0.1:" + TestRedis.freePort());
		try (RedisPersistedQueryStore store = new RedisPersistedQueryStore(down, RedisURI.create("redis://127.0.0.1:" + TestRedis.freePort()),
				Duration.ofHours(24), 2_000, Duration.ofMillis(500))) {
			store.save("acme", HASH, DOCUMENT).as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(5));
			store.find("acme", HASH).as(StepVerifier::create).expectComplete().verify(Duration.ofSeconds(5));
		}
		finally {
			down.shutdown();
		}
	}

	private static String hash(int i) {
		return DocumentHash.of("{ a" + i + " }");
	}

}
