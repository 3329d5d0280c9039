package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.RequestBudget;
import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.e2e.LoadSupport.Answer;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two gateways started as the packaged application, one Redis: the account's Exotel budget is one
 * bucket for both, so clients beyond it are told {@code RATE_LIMITED} within their deadline and
 * Exotel never answers 429.
 */
class SharedBudgetTest {

	private static final int PER_MINUTE = 30;

	/** The gateway's burst for 30 a minute: the budget less its 5% reserve (one request). */
	private static final int BURST = PER_MINUTE - 1;

	private static final Duration DEADLINE = Duration.ofSeconds(4);

	/** What the client's own scheduling and a busy machine may add to the deadline. */
	private static final Duration MARGIN = Duration.ofMillis(1500);

	private static final int QUERIES = 70;

	@Test
	void twoInstancesShareOneExotelBudgetThroughRedis() throws Exception {
		HttpClient http = LoadSupport.http();
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(11).rateLimitPerMinute(PER_MINUTE).build());
				TestRedis redis = TestRedis.startOwned()) {
			List<String> sids = LoadSupport.callSids(http, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token").subList(0, QUERIES);
			sandbox.reset();
			Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key",
					"demo-token", "demo-v4-token", PER_MINUTE));
			settings.put("exogate.cache.redis-url", redis.url());
			settings.put("exogate.request.deadline", DEADLINE.toSeconds() + "s");
			try (ConfigurableApplicationContext first = LoadSupport.gateway(settings);
					ConfigurableApplicationContext second = LoadSupport.gateway(settings)) {
				assertThat(first.getBean(RequestBudget.class).isShared()).as("the first instance's budget is in Redis").isTrue();
				assertThat(second.getBean(RequestBudget.class).isShared()).as("the second instance's budget is in Redis").isTrue();
				int[] ports = { LoadSupport.port(first), LoadSupport.port(second) };

				long started = System.nanoTime();
				List<CompletableFuture<Answer>> pending = new ArrayList<>();
				for (int i = 0; i < QUERIES; i++) {
					pending.add(LoadSupport.post(http, ports[i % 2], "{ call(sid: \"" + sids.get(i) + "\") { sid status } }"));
				}
				CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
				Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
				List<Answer> answers = pending.stream().map(CompletableFuture::join).toList();

				Map<String, Long> stats = sandbox.stats();
				long served = answers.stream().filter((answer) -> answer.errors().isEmpty()).count();
				Duration slowest = answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
				long refill = (long) Math.ceil(elapsed.toMillis() * PER_MINUTE / 60_000.0);
				System.out.printf("Shared budget: %d of %d served in %d ms, slowest answer %d ms, sandbox %s%n", served, QUERIES,
						elapsed.toMillis(), slowest.toMillis(), stats);

				SoftAssertions softly = new SoftAssertions();
				softly.assertThat(stats.get("rate_limited")).as("Exotel never answered 429: %s", stats).isZero();
				softly.assertThat(E2eSupport.apiRequests(sandbox))
					.as("Exotel saw at most one budget (%d) and its refill (%d) in %d ms across both instances: %s", BURST, refill,
							elapsed.toMillis(), stats)
					.isLessThanOrEqualTo(BURST + refill);
				softly.assertThat(E2eSupport.apiRequests(sandbox)).as("each request to Exotel answered a client: %s", stats)
					.isEqualTo(served);
				softly.assertThat(served).as("the burst was spent on clients, not refused").isGreaterThanOrEqualTo(BURST);
				for (int i = 0; i < QUERIES; i++) {
					Answer answer = answers.get(i);
					softly.assertThat(answer.status()).as("%s", answer).isEqualTo(200);
					if (answer.errors().isEmpty()) {
						softly.assertThat(answer.data("call").path("sid").asString()).as("%s", answer).isEqualTo(sids.get(i));
					}
					else {
						softly.assertThat(answer.codes()).as("over budget: %s", answer).containsExactly("RATE_LIMITED");
						softly.assertThat(answer.errors().get(0).path("extensions").path("retryAfterSeconds").asLong())
							.as("%s", answer).isPositive();
					}
				}
				softly.assertThat(slowest).as("over budget, a client is told so within its deadline").isLessThan(DEADLINE.plus(MARGIN));
				RedisClient client = RedisClient.create(redis.url());
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					softly.assertThat(connection.sync().exists("exogate:budget:" + E2eSupport.ACCOUNT)).as("the shared bucket")
						.isEqualTo(1L);
				}
				finally {
					client.shutdown();
				}
				softly.assertAll();
			}
		}
	}

}
