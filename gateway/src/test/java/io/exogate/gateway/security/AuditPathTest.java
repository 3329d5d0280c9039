package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The audit trail names the gateway's own endpoints, and no other path: a key put in a path never reaches it. */
class AuditPathTest {

	@Test
	void theGatewaysEndpointsAreNamedAndAnyOtherPathIsNot() {
		assertThat(Unauthenticated.via("/graphql")).isEqualTo("/graphql");
		assertThat(Unauthenticated.via("/graphql/ws")).isEqualTo("/graphql/ws");
		assertThat(Unauthenticated.via("/actuator/info")).isEqualTo("/actuator/info");
		assertThat(Unauthenticated.via("/graphql/3f1c9a0e5b7d")).isEqualTo("(other)");
		assertThat(Unauthenticated.via("/3f1c9a0e5b7d/graphql")).isEqualTo("(other)");
		assertThat(Unauthenticated.via("/actuator/env")).isEqualTo("(other)");
	}

}
