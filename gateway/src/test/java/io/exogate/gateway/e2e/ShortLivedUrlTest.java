package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With Exotel's URLs living barely longer than the safety margin, no expired link is ever handed out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShortLivedUrlTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(9).rateLimitPerMinute(100_000)
		.signedUrlLifetime(Duration.ofSeconds(3)).build());

	static final TestRedis redis = TestRedis.start();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, redis.url(), registry);
		registry.add("exogate.cache.safety-margin", () -> "1s");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() throws Exception {
		sandbox.close();
		redis.close();
	}

	@Test
	void everyUrlHandedOutStillPlaysAndCachedOnesAreRefreshedBeforeTheMargin() {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		List<Map<String, Object>> nodes = graphQl.documentName("pageWithAgentsAndRecordings").variable("first", 20).execute()
			.errors().verify()
			.path("calls.edges[*].node").entityList(Map.class).get().stream().map(ShortLivedUrlTest::cast).toList();
		String sid = nodes.stream()
			.filter((node) -> "AVAILABLE".equals(((Map<?, ?>) node.get("recording")).get("status")))
			.map((node) -> (String) node.get("sid"))
			.findFirst()
			.orElseThrow();
		Set<String> seen = new HashSet<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int answers = 0;
		while ((seen.size() < 3 || answers < 30) && System.nanoTime() < deadline) {
			Map<String, Object> recording = cast(graphQl.documentName("recording").variable("sid", sid).execute()
				.errors().verify()
				.path("recording").entity(Map.class).get());
			Instant now = Instant.now();
			Instant expiresAt = Instant.parse((String) recording.get("expiresAt"));
			assertThat(expiresAt).as("never handed out expired").isAfter(now);
			String url = (String) recording.get("url");
			assertThat(E2eSupport.head(url)).as("the link plays when handed out").isEqualTo(200);
			seen.add(url);
			answers++;
		}
		assertThat(seen).as("cached links were refreshed as they neared expiry").hasSizeGreaterThanOrEqualTo(3);
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).as("but not on every request").isLessThan(answers);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

}
