package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import io.exogate.exotel.test.TestRedis;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cached links over Redis, on one clock shared by the gateway and the sandbox: a link is handed
 * out from the cache while it has more than the safety margin to live, refreshed once it has not,
 * and every link handed out still plays.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = {
		io.exogate.gateway.ExogateApplication.class, ShortLivedUrlTest.SharedClock.class })
class ShortLivedUrlTest {

	static final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(9).rateLimitPerMinute(100_000)
		.signedUrlLifetime(Duration.ofMinutes(3)).clock(clock).build());

	/** Its own Redis: the cached links of a previous run must not answer this one. */
	static final TestRedis redis = TestRedis.startOwned();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, redis.url(), registry);
		registry.add("exogate.cache.safety-margin", () -> "60s");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws Exception {
		sandbox.close();
		redis.close();
	}

	@Test
	void aCachedLinkIsHandedOutUntilTheMarginThenRefreshedAndEveryLinkPlays() {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		String sid = graphQl.document("{ calls(first: 1, filter: { hasRecording: true }) { edges { node { sid } } } }").execute()
			.errors().verify()
			.path("calls.edges[0].node.sid").entity(String.class).get();
		sandbox.reset();
		Map<?, ?> first = recording(graphQl, sid);
		assertThat(Instant.parse((String) first.get("expiresAt"))).isEqualTo(clock.instant().plus(Duration.ofMinutes(3)));
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).isEqualTo(1);

		clock.advance(Duration.ofMinutes(1).plusSeconds(59));
		Map<?, ?> cached = recording(graphQl, sid);
		assertThat(cached.get("url")).as("61 s left: still more than the margin").isEqualTo(first.get("url"));
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).isEqualTo(1);

		clock.advance(Duration.ofSeconds(2));
		Map<?, ?> refreshed = recording(graphQl, sid);
		assertThat(refreshed.get("url")).as("59 s left: within the margin, so refreshed").isNotEqualTo(first.get("url"));
		assertThat(Instant.parse((String) refreshed.get("expiresAt"))).isEqualTo(clock.instant().plus(Duration.ofMinutes(3)));
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).isEqualTo(2);
	}

	private static Map<?, ?> recording(HttpGraphQlTester graphQl, String sid) {
		Map<?, ?> recording = graphQl.documentName("recording").variable("sid", sid).execute()
			.errors().verify()
			.path("recording").entity(Map.class).get();
		assertThat(recording.get("status")).isEqualTo("AVAILABLE");
		Instant expiresAt = Instant.parse((String) recording.get("expiresAt"));
		assertThat(Duration.between(clock.instant(), expiresAt)).as("never handed out within the margin")
			.isGreaterThan(Duration.ofSeconds(60));
		assertThat(E2eSupport.head((String) recording.get("url"))).as("the link plays when handed out").isEqualTo(200);
		return recording;
	}

	/** The test's clock, for the gateway as for the sandbox. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SharedClock {

		@Bean
		@Primary
		Clock sharedClock() {
			return clock;
		}

	}

}
