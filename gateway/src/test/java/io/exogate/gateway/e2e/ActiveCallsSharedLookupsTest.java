package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.gateway.e2e.Subscriber.Received;
import io.exogate.gateway.subscription.LiveCalls;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code activeCalls} subscribers of one account selecting fields of other API versions share the
 * per-call lookups of each list: 20 of them cost Exotel about what one costs per list change, not 20
 * times as much. The sandbox starts a live call every 5 seconds and its calls ring, are answered and end,
 * so the list keeps changing; the account's budget is set out of reach, so every lookup the gateway
 * makes reaches the sandbox's counters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActiveCallsSharedLookupsTest {

	private static final Logger logger = LoggerFactory.getLogger(ActiveCallsSharedLookupsTest.class);

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(53).rateLimitPerMinute(1_000_000)
		.liveCallInterval(Duration.ofSeconds(5)).build());

	/** v4 for the agent, v1 for from, v3's bulk lookup for the recording. */
	static final String DOCUMENT = "subscription { activeCalls { sid status agent { name } from recording { status } } }";

	/** List changes each measurement watches. */
	static final int CHANGES = 4;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		registry.add("exogate.exotel.accounts[0].requests-per-minute", () -> "1000000");
		registry.add("exogate.subscriptions.active-calls-interval", () -> "500ms");
	}

	@LocalServerPort
	int port;

	@Autowired
	LiveCalls live;

	final List<Subscriber> connections = new ArrayList<>();

	@AfterEach
	void hangUp() {
		this.connections.forEach(Subscriber::close);
		this.connections.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.live.watches().pollers() == 0);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void twentySubscribersCostAboutWhatOneCostsPerListChange() {
		Measured one = measure(1);
		Measured twenty = measure(20);
		logger.info("Upstream lookups per list change: {} with 1 subscriber, {} with 20", one, twenty);
		assertThat(one.lookups()).as("the selection asks other versions: %s", one).isPositive();
		// Without sharing each subscriber makes its own: about 20 times one's.
		assertThat(twenty.perChange()).as("1: %s, 20: %s", one, twenty).isLessThanOrEqualTo(one.perChange() * 1.5 + 2);
	}

	/** Subscribers of the same list, and the lookups Exotel saw while {@link #CHANGES} lists came. */
	private Measured measure(int subscribers) {
		List<Received> all = IntStream.range(0, subscribers).mapToObj((i) -> {
			Subscriber connection = Subscriber.connect(this.port, E2eSupport.KEY);
			this.connections.add(connection);
			return connection.subscribe(DOCUMENT);
		}).toList();
		await().atMost(Duration.ofSeconds(30)).until(() -> all.stream().noneMatch((received) -> received.results.isEmpty()));
		assertThat(this.live.watches().watchers(E2eSupport.ACCOUNT)).isEqualTo(subscribers);
		Received first = all.get(0);
		int from = first.results.size();
		sandbox.reset();
		await().atMost(Duration.ofSeconds(60)).failFast("a subscriber ended", () -> all.stream().anyMatch(Received::ended))
			.until(() -> first.results.size() >= from + CHANGES);
		Map<String, Long> stats = sandbox.stats();
		int changes = first.results.size() - from;
		assertThat(all).allSatisfy((received) -> {
			assertThat(received.error.get()).isNull();
			assertThat(received.results).allSatisfy((result) -> assertThat(result.get("errors")).as("%s", result).isNull());
		});
		this.connections.forEach(Subscriber::close);
		this.connections.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.live.watches().pollers() == 0);
		long lookups = stats.getOrDefault("v4.voicelogs.get", 0L) + stats.getOrDefault("v1.calls.list", 0L)
				+ stats.getOrDefault("v1.calls.get", 0L) + stats.getOrDefault("v3.voice-logs.bulk", 0L)
				+ stats.getOrDefault("v3.voice-logs.get", 0L);
		return new Measured(subscribers, changes, lookups, stats.getOrDefault("v3.calls.active", 0L));
	}

	record Measured(int subscribers, int changes, long lookups, long polls) {

		double perChange() {
			return (double) this.lookups / this.changes;
		}

	}

}
