package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * How many calls are live is known only once Exotel answers: past the cost guard's estimate, an
 * {@code activeCalls} selection that would ask another version per call is refused, not fanned out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActiveCallsFanOutTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(4).rateLimitPerMinute(100_000).build());

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		registry.add("exogate.request.active-calls-estimate", () -> "1");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void moreLiveCallsThanEstimatedAreNotLookedUpOneByOne() {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		int live = graphQl.document("{ activeCalls { sid status } }").execute()
			.errors().verify()
			.path("activeCalls").entityList(Object.class).get().size();
		assertThat(live).as("the sandbox has several live calls at start").isGreaterThan(1);
		sandbox.reset();
		graphQl.document("{ activeCalls { sid agent { name } } }").execute()
			.errors()
			.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")) && error.getMessage().contains("live"))
			.verify()
			.path("activeCalls").valueIsNull();
		assertThat(sandbox.stats()).containsEntry("v3.calls.active", 1L).containsEntry("v4.voicelogs.get", 0L);
	}

}
