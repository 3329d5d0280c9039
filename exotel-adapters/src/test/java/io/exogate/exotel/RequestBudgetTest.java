package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SandboxAccounts;
import io.exogate.exotel.test.SettableClock;
import io.exogate.exotel.test.TestRedis;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class RequestBudgetTest {

	private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

	@Test
	void overBudgetARequestFailsHereWithoutReachingExotel() throws Exception {
		SettableClock clock = new SettableClock(START);
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().clock(clock).callsPerAccount(50).build());
				SandboxAccounts accounts = new SandboxAccounts(sandbox, clock, 4, new ExotelProperties.Budget(Duration.ZERO, 10), null)) {
			assertThat(RequestBudget.burst(4)).as("one request of four is kept in reserve").isEqualTo(3);
			for (int i = 0; i < 3; i++) {
				assertThat(accounts.v1.call(SandboxAccounts.ACCOUNT, "unknown" + i).onErrorResume(NotFoundException.class, (e) -> Mono.empty())
					.block()).isNull();
			}
			Object error = accounts.v1.call(SandboxAccounts.ACCOUNT, "unknown").map(Object.class::cast)
				.onErrorResume(Mono::just).block();
			assertThat(error).isInstanceOfSatisfying(RateLimitedException.class,
					(limited) -> assertThat(limited).hasMessageContaining("budget"));
			assertThat(sandbox.stats().get("v1.calls.get")).isEqualTo(3);
			assertThat(accounts.registry.counter("exotel.budget.rejected", "account", SandboxAccounts.ACCOUNT, "version", "v1").count())
				.isEqualTo(1);
		}
	}

	@Test
	void overBudgetARequestWaitsForAToken() throws Exception {
		SettableClock clock = new SettableClock(START);
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().clock(clock).callsPerAccount(50).rateLimitPerMinute(10_000).build());
				SandboxAccounts accounts = new SandboxAccounts(sandbox, clock, 120, new ExotelProperties.Budget(Duration.ofSeconds(5), 10), null)) {
			List<Object> results = Flux.range(0, RequestBudget.burst(120) + 3)
				.flatMap((i) -> accounts.v1.call(SandboxAccounts.ACCOUNT, "unknown" + i).map(Object.class::cast).onErrorResume(Mono::just), 8)
				.collectList()
				.block();
			assertThat(results).hasSize(RequestBudget.burst(120) + 3).allMatch((result) -> result instanceof NotFoundException);
			assertThat(accounts.registry.find("exotel.budget.waits").timer().count()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void twoInstancesSharingRedisNeverExceedExotelsBudget() throws Exception {
		// Real time on both sides: the shared Redis budget refills as Exotel's limiter does.
		try (TestRedis redis = TestRedis.start();
				Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(50)
					.rateLimitPerMinute(200).build())) {
			RedisClient client = RedisClient.create(redis.url());
			ExotelProperties.Budget waitBriefly = new ExotelProperties.Budget(Duration.ofSeconds(2), 2000);
			try (SandboxAccounts first = new SandboxAccounts(sandbox, java.time.Clock.systemUTC(), 200, waitBriefly,
					(properties) -> RequestBudget.redis(client, properties, new AdapterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())));
					SandboxAccounts second = new SandboxAccounts(sandbox, java.time.Clock.systemUTC(), 200, waitBriefly,
							(properties) -> RequestBudget.redis(client, properties, new AdapterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())))) {
				ConcurrentHashMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
				Flux.range(0, 1000)
					.flatMap((i) -> ((i % 2 == 0) ? first : second).v1.call(SandboxAccounts.ACCOUNT, "unknown" + i)
						.map(Object.class::cast)
						.onErrorResume(Mono::just)
						.doOnNext((result) -> outcomes.computeIfAbsent(result.getClass().getSimpleName(), (k) -> new AtomicInteger()).incrementAndGet()), 64)
					.blockLast(Duration.ofMinutes(2));
				assertThat(sandbox.stats().get("rate_limited")).as("Exotel never had to say 429").isZero();
				long reached = sandbox.stats().get("v1.calls.get");
				assertThat(reached).as("the budget was used, not starved").isGreaterThanOrEqualTo(RequestBudget.burst(200));
				assertThat(outcomes.get("NotFoundException").get()).isEqualTo((int) reached);
				assertThat(outcomes.get("RateLimitedException").get()).isEqualTo(1000 - (int) reached);
			}
			finally {
				client.shutdown();
			}
		}
	}


	@Test
	void aRedisDownAtStartBecomesTheSharedBudgetOnceItAnswersWithoutARestart() throws Exception {
		int port = io.exogate.exotel.test.TestRedis.freePort();
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
		ExotelProperties properties = new ExotelProperties(java.util.List.of(new ExotelProperties.Account("acc", null, "k", "t",
				"v4", null, 600, null, null, null)), null, null, null, null, null);
		try (RequestBudget budget = RequestBudget.redis(client, properties,
				new AdapterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))) {
			assertThat(budget.isShared()).isFalse();
			reactor.test.StepVerifier.create(budget.acquire("acc", "v1")).as("served from its own bucket meanwhile").verifyComplete();
			try (io.exogate.exotel.test.TestRedis redis = io.exogate.exotel.test.TestRedis.startProcessOn(port)) {
				org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
					reactor.test.StepVerifier.create(budget.acquire("acc", "v1")).verifyComplete();
					assertThat(budget.isShared()).isTrue();
				});
				reactor.test.StepVerifier.create(budget.acquire("acc", "v1")).verifyComplete();
				try (var check = client.connect()) {
					assertThat(check.sync().exists("exogate:budget:acc")).as("the bucket lives in Redis now").isEqualTo(1L);
				}
			}
		}
		finally {
			client.shutdown();
		}
	}

}
