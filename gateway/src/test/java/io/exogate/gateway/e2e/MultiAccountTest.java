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

/** With several accounts and no default, every query names one, and only the tenant's are found. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MultiAccountTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(200).build());

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		E2eSupport.secondAccount(sandbox, registry);
		registry.add("exogate.security.tenants[0].accounts[1]", () -> "exogate-demo-2");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void theAccountArgumentIsRequiredAndValidated() {
		HttpGraphQlTester graphQl = E2eSupport.tester(this.port);
		graphQl.document("{ activeCalls { sid } }").execute().errors()
			.expect((error) -> "BAD_REQUEST".equals(error.getExtensions().get("code")) && error.getMessage().contains("exogate-demo-2"))
			.verify();
		graphQl.document("{ activeCalls(account: \"someone-else\") { sid } }").execute().errors()
			.expect((error) -> "NOT_FOUND".equals(error.getExtensions().get("code")) && error.getMessage().contains("someone-else"))
			.verify();
		String mine = graphQl.document("{ calls(first: 1, account: \"exogate-demo\") { edges { node { sid account } } } }").execute()
			.errors().verify().path("calls.edges[0].node.account").entity(String.class).get();
		String theirs = graphQl.document("{ calls(first: 1, account: \"exogate-demo-2\") { edges { node { sid account } } } }").execute()
			.errors().verify().path("calls.edges[0].node.account").entity(String.class).get();
		assertThat(mine).isEqualTo("exogate-demo");
		assertThat(theirs).isEqualTo("exogate-demo-2");
		graphQl.document("{ accounts { sid } }").execute().errors().verify().path("accounts[*].sid").entityList(String.class)
			.containsExactly("exogate-demo", "exogate-demo-2");
	}

}
