package io.exogate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.security.SecurityProperties.Limits;
import io.exogate.gateway.security.Tenants.Tenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's own deadline applies when it is shorter than the gateway's, never when it is longer. */
class RequestDeadlineTest {

	private final RequestDeadline deadline = new RequestDeadline(new RequestLimits(Duration.ofSeconds(10), null, null, null, null, null));

	@Test
	void theShorterOfTheTenantsDeadlineAndTheGatewaysApplies() {
		assertThat(this.deadline.deadline(tenant(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.deadline.deadline(tenant(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.deadline.deadline(tenant(null))).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.deadline.deadline(null)).isEqualTo(Duration.ofSeconds(10));
	}

	private static Tenant tenant(Duration deadline) {
		return new Tenant("acme", List.of("acme-1"), "acme-1", null, 600, null, List.of(), false,
				new Limits(null, null, null, null, deadline));
	}

}
