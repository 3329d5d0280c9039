package io.exogate.gateway.e2e;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A request waiting for the account's budget is let through only while its deadline still leaves
 * Exotel time to answer: a client over budget is told {@code RATE_LIMITED}, never cut at the
 * deadline after a request Exotel counted.
 */
class BudgetDeadlineTest {

	private static final int PER_MINUTE = 30;

	private static final Duration DEADLINE = Duration.ofSeconds(4);

	/** Exotel is never instant; real answers take longer than this. */
	private static final int EXOTEL_LATENCY_MS = 250;

	private static final int QUERIES = 40;

	@Test
	void aClientWaitingForTheBudgetIsToldRateLimitedRatherThanCutAtItsDeadline() throws Exception {
		HttpClient http = LoadSupport.http();
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(12).rateLimitPerMinute(100_000).build())) {
			List<String> sids = LoadSupport.callSids(http, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token").subList(0, QUERIES);
			sandbox.reset();
			E2eSupport.faults(sandbox, "POST", "{\"v1\":{\"latencyMs\":" + EXOTEL_LATENCY_MS + "}}");
			Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key",
					"demo-token", "demo-v4-token", PER_MINUTE));
			settings.put("exogate.request.deadline", DEADLINE.toSeconds() + "s");
			try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
				int port = LoadSupport.port(gateway);
				List<CompletableFuture<Answer>> pending = new ArrayList<>();
				for (String sid : sids) {
					pending.add(LoadSupport.post(http, port, "{ call(sid: \"" + sid + "\") { sid status } }"));
				}
				CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
				List<Answer> answers = pending.stream().map(CompletableFuture::join).toList();
				long served = answers.stream().filter((answer) -> answer.errors().isEmpty()).count();
				Map<String, Long> stats = sandbox.stats();
				System.out.printf("Budget and deadline: %d of %d served, sandbox %s, other answers %s%n", served, QUERIES, stats,
						answers.stream().filter((answer) -> !answer.codes().isEmpty() && !answer.codes().equals(List.of("RATE_LIMITED")))
							.toList());

				SoftAssertions softly = new SoftAssertions();
				for (Answer answer : answers) {
					if (!answer.errors().isEmpty()) {
						softly.assertThat(answer.codes()).as("over budget: %s", answer).containsExactly("RATE_LIMITED");
					}
				}
				softly.assertThat(E2eSupport.apiRequests(sandbox)).as("every request Exotel counted answered a client: %s", stats)
					.isEqualTo(served);
				Answer slowest = answers.stream().max(Comparator.comparing(Answer::took)).orElseThrow();
				softly.assertThat(slowest.took()).as("the slowest answer: %s", slowest).isLessThan(DEADLINE.plusMillis(1500));
				softly.assertAll();
			}
		}
	}

}
