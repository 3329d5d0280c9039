package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.e2e.LoadSupport.Answer;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway configured with more budget than Exotel really grants: the first 429 pauses the
 * account, so Exotel sees a handful of 429s rather than one or more per query, and clients are
 * told {@code RATE_LIMITED} with a time to come back.
 */
class RateLimitPauseTest {

	/** What Exotel (the sandbox) really allows; a 429 then says to retry after 60 / 20 = 3 s. */
	private static final int EXOTEL_PER_MINUTE = 20;

	private static final Duration RETRY_AFTER = Duration.ofSeconds(60 / EXOTEL_PER_MINUTE);

	/** What the gateway believes: ten times more. */
	private static final int CONFIGURED_PER_MINUTE = 200;

	private static final int QUERIES = 100;

	private static final int CONCURRENCY = 10;

	/** Short enough that the test ends in seconds, longer than one pause so that clients also wait one out. */
	private static final Duration DEADLINE = Duration.ofSeconds(4);

	@Test
	void aRateLimitedAccountPausesSoExotelSeesAtMostOne429PerPause() throws Exception {
		HttpClient http = LoadSupport.http();
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(13).rateLimitPerMinute(EXOTEL_PER_MINUTE).build())) {
			List<String> sids = LoadSupport.callSids(http, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token");
			assertThat(sids).hasSize(QUERIES);
			sandbox.reset();
			Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key",
					"demo-token", "demo-v4-token", CONFIGURED_PER_MINUTE));
			settings.put("exogate.request.deadline", DEADLINE.toSeconds() + "s");
			ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
			try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
				int port = LoadSupport.port(gateway);
				long started = System.nanoTime();
				List<Future<Answer>> pending = new ArrayList<>();
				for (String sid : sids) {
					pending.add(clients.submit(() -> LoadSupport.post(http, port, "{ call(sid: \"" + sid + "\") { sid status } }")
						.get(30, TimeUnit.SECONDS)));
				}
				List<Answer> answers = new ArrayList<>();
				for (Future<Answer> answer : pending) {
					answers.add(answer.get(60, TimeUnit.SECONDS));
				}
				Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
				Map<String, Long> stats = sandbox.stats();
				long served = answers.stream().filter((answer) -> answer.errors().isEmpty()).count();
				Answer slowest = answers.stream().max(Comparator.comparing(Answer::took)).orElseThrow();
				// The first 429 finds at most CONCURRENCY requests already on their way to Exotel; each is a 429 of
				// that one pause. After it, one probe per Retry-After may meet another 429, so Exotel sees at
				// most one more per Retry-After the test lasted (plus one for the pause under way at the end).
				long pauses = elapsed.toMillis() / RETRY_AFTER.toMillis() + 1;
				long bound = CONCURRENCY + pauses;
				System.out.printf("429 pause: %d of %d served in %d ms, slowest %d ms, sandbox %s, bound %d%n", served, QUERIES,
						elapsed.toMillis(), slowest.took().toMillis(), stats, bound);

				SoftAssertions softly = new SoftAssertions();
				softly.assertThat(stats.get("rate_limited"))
					.as("429s Exotel answered in %d ms (before the pause, retries of 429 made two per query): %s", elapsed.toMillis(),
							stats)
					.isLessThanOrEqualTo(bound);
				softly.assertThat(served).as("Exotel's own budget was used").isGreaterThanOrEqualTo(EXOTEL_PER_MINUTE - 1);
				softly.assertThat(answers).as("some clients were told to come back").anyMatch((answer) -> !answer.errors().isEmpty());
				for (Answer answer : answers) {
					softly.assertThat(answer.status()).as("%s", answer).isEqualTo(200);
					if (!answer.errors().isEmpty()) {
						softly.assertThat(answer.codes()).as("%s", answer).containsExactly("RATE_LIMITED");
						softly.assertThat(answer.errors().get(0).path("extensions").path("retryAfterSeconds").asLong())
							.as("%s", answer).isPositive();
					}
				}
				softly.assertAll();
			}
			finally {
				clients.shutdownNow();
			}
		}
	}

}
