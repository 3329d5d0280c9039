package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.events.RedisCallEvents;
import io.exogate.gateway.webhook.CallStates;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;

/**
 * Two gateways on one Redis: a status callback received by one wakes the call-event listeners of
 * both, each exactly once, and the other instance holds the same call state; a retry of the callback
 * sent to the other instance changes nothing.
 */
class CallEventsAcrossInstancesTest {

	@Test
	void aWebhookReceivedByOneInstanceWakesListenersOnEveryInstanceOnce() throws Exception {
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(10).build());
				TestRedis redis = TestRedis.startOwned()) {
			Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token",
					"demo-v4-token", 200));
			settings.put("exogate.exotel.accounts[0].callback-secret", E2eSupport.CALLBACK_SECRET);
			settings.put("exogate.cache.redis-url", redis.url());
			try (ConfigurableApplicationContext first = LoadSupport.gateway(settings);
					ConfigurableApplicationContext second = LoadSupport.gateway(settings)) {
				RedisCallEvents onFirst = (RedisCallEvents) first.getBean(CallEvents.class);
				RedisCallEvents onSecond = (RedisCallEvents) second.getBean(CallEvents.class);
				Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> onFirst.subscribed() && onSecond.subscribed());
				List<CallEvent> heardFirst = new CopyOnWriteArrayList<>();
				List<CallEvent> heardSecond = new CopyOnWriteArrayList<>();
				Disposable a = onFirst.events().subscribe(heardFirst::add);
				Disposable b = onSecond.events().subscribe(heardSecond::add);
				try {
					String one = "11112222333344445555666677778888";
					String two = "88887777666655554444333322221111";
					int portA = LoadSupport.port(first);
					int portB = LoadSupport.port(second);
					assertThat(WebhookSupport.status(portA, E2eSupport.CALLBACK_SECRET, WebhookSupport.completed(one, "2026-11-23 10:01:02"))
						.status()).isEqualTo(204);
					CallEvent expected = new CallEvent(E2eSupport.ACCOUNT, one, true, true);
					Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heardSecond.contains(expected));
					assertThat(second.getBean(CallStates.class).get(E2eSupport.ACCOUNT, one).block(Duration.ofSeconds(5)))
						.as("the other instance holds the same state")
						.isEqualTo(first.getBean(CallStates.class).get(E2eSupport.ACCOUNT, one).block(Duration.ofSeconds(5)));

					// Exotel's retry reaches the other instance: nothing changes, nothing is published.
					assertThat(WebhookSupport.status(portB, E2eSupport.CALLBACK_SECRET, WebhookSupport.completed(one, "2026-11-23 10:01:02"))
						.status()).isEqualTo(204);
					// A second call, sent to the other instance, marks the end of the first one's deliveries.
					assertThat(WebhookSupport.status(portB, E2eSupport.CALLBACK_SECRET, WebhookSupport.completed(two, "2026-11-23 10:02:02"))
						.status()).isEqualTo(204);
					CallEvent marker = new CallEvent(E2eSupport.ACCOUNT, two, true, true);
					Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heardFirst.contains(marker));
					assertThat(heardFirst).as("each event once on the first instance").containsExactly(expected, marker);
					assertThat(heardSecond).as("each event once on the second instance").containsExactly(expected, marker);
				}
				finally {
					a.dispose();
					b.dispose();
				}
			}
		}
	}

}
