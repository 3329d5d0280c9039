package io.exogate.gateway.export;

import static org.awaitility.Awaitility.await;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.redis.RedisCommands;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The count of an account's export requests in flight, in process and in Redis: marked while any is,
 * per account, never below none however often it is taken back, and in Redis lapsing after its time.
 */
class ExportRequestsInFlightTest {

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
	void inProcess() {
		countsRequests(new InProcessExportStore(Clock.systemUTC(), Duration.ofDays(1), 100), "acme-1");
	}

	@Test
	void inRedis() {
		RedisExportStore store = new RedisExportStore(new RedisCommands(client, RedisURI.create(redis.url())), Duration.ofDays(1),
				Duration.ofSeconds(5));
		countsRequests(store, "acme-redis-" + System.nanoTime());
		String lapsing = "acme-lapsing-" + System.nanoTime();
		store.requestStarted(lapsing, Duration.ofMillis(50)).as(StepVerifier::create).verifyComplete();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Boolean.FALSE.equals(store.requesting(lapsing).block(Duration.ofSeconds(5))));
	}

	private static void countsRequests(ExportStore store, String account) {
		store.requesting(account).as(StepVerifier::create).expectNext(false).verifyComplete();
		store.requestStarted(account, Duration.ofMinutes(2)).as(StepVerifier::create).verifyComplete();
		store.requestStarted(account, Duration.ofMinutes(2)).as(StepVerifier::create).verifyComplete();
		store.requesting(account).as(StepVerifier::create).expectNext(true).verifyComplete();
		store.requesting("another-account").as(StepVerifier::create).expectNext(false).verifyComplete();
		store.requestEnded(account).as(StepVerifier::create).verifyComplete();
		store.requesting(account).as(StepVerifier::create).expectNext(true).verifyComplete();
		store.requestEnded(account).as(StepVerifier::create).verifyComplete();
		store.requesting(account).as(StepVerifier::create).expectNext(false).verifyComplete();
		store.requestEnded(account).as(StepVerifier::create).verifyComplete();
		store.requestStarted(account, Duration.ofMinutes(2)).as(StepVerifier::create).verifyComplete();
		store.requesting(account).as(StepVerifier::create).expectNext(true).verifyComplete();
		store.requestEnded(account).as(StepVerifier::create).verifyComplete();
		store.requesting(account).as(StepVerifier::create).expectNext(false).verifyComplete();
	}

}
