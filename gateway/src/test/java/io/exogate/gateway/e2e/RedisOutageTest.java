package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Redis stops mid-test: queries are still answered, from Exotel, and health says so. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(4).rateLimitPerMinute(100_000).build());

	static final TestRedis redis = TestRedis.startOwned();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, redis.url(), registry);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void queriesAreAnsweredWhileRedisIsDown() throws Exception {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeader(E2eSupport.KEY_HEADER, E2eSupport.KEY)
			.build();
		List<Object> before = graphQl.documentName("pageWithAgentsAndRecordings").variable("first", 30).execute()
			.errors().verify()
			.path("calls.edges").entityList(Object.class).get();
		assertThat(before).hasSize(30);
		http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.cache.status").isEqualTo("UP")
			.jsonPath("$.components.upstream.details.mode").isEqualTo("exotel");

		redis.close();

		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		for (int i = 0; i < 3 && System.nanoTime() < deadline; i++) {
			List<Map<String, Object>> nodes = graphQl.documentName("pageWithAgentsAndRecordings").variable("first", 30).execute()
				.errors().verify()
				.path("calls.edges[*].node").entityList(Map.class).get().stream().map(RedisOutageTest::cast).toList();
			assertThat(nodes).hasSize(30);
			assertThat(nodes).anySatisfy((node) -> assertThat(((Map<?, ?>) node.get("recording")).get("url")).isNotNull());
		}
		http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("DEGRADED")
			.jsonPath("$.components.cache.details.redis").isEqualTo("unreachable");
		WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build()
			.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("DEGRADED")
			.jsonPath("$.description").doesNotExist()
			.jsonPath("$.components").doesNotExist();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

}
