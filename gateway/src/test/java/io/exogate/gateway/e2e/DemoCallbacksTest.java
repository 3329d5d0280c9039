package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.webhook.CallStates;
import io.exogate.gateway.webhook.WebhookSecrets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Demo mode has live callbacks: the embedded sandbox's status callbacks reach the gateway's own
 * webhook, each account on a secret of its own made at start, and wake the call-event listeners.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoCallbacksTest {

	@Autowired
	CallEvents events;

	@Autowired
	CallStates states;

	@Autowired
	WebhookSecrets secrets;

	@Test
	void aLiveCallThatEndsInTheSandboxReachesTheGatewaysWebhook() {
		assertThat(this.secrets.accounts()).containsExactlyInAnyOrder("exogate-demo", "exogate-demo-2");
		CallEvent event = this.events.events().next().block(Duration.ofSeconds(150));
		assertThat(event).as("a live call's callback within 150 s").isNotNull();
		assertThat(event.account()).isIn("exogate-demo", "exogate-demo-2");
		assertThat(event.terminal()).isTrue();
		assertThat(this.states.get(event.account(), event.callSid()).block(Duration.ofSeconds(5))).isNotNull()
			.satisfies((state) -> assertThat(state.rank()).isEqualTo(2));
	}

}
