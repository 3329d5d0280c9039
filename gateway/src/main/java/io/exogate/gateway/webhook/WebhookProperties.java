package io.exogate.gateway.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook settings ({@code exogate.webhooks.*}).
 *
 * @param callStateTtl how long a call's last known state is kept to order its callbacks
 * @param maxCallStates the most call states one instance keeps when there is no Redis
 * @param exportTtl how long an export's state is kept
 * @param maxExports the most export states one instance keeps when there is no Redis
 * @param deliveryAttempts how many times an export's result is POSTed to the tenant's callback before giving up
 * @param deliveryBackoff the first wait between delivery attempts; it doubles
 * @param deliveryTimeout how long one delivery attempt may take
 */
@ConfigurationProperties("exogate.webhooks")
public record WebhookProperties(Duration callStateTtl, Integer maxCallStates, Duration exportTtl, Integer maxExports,
		Integer deliveryAttempts, Duration deliveryBackoff, Duration deliveryTimeout) {

	public WebhookProperties {
		callStateTtl = positive(callStateTtl, Duration.ofHours(24), "call-state-ttl");
		maxCallStates = atLeastOne(maxCallStates, 100_000, "max-call-states");
		exportTtl = positive(exportTtl, Duration.ofDays(7), "export-ttl");
		maxExports = atLeastOne(maxExports, 10_000, "max-exports");
		deliveryAttempts = atLeastOne(deliveryAttempts, 3, "delivery-attempts");
		deliveryBackoff = positive(deliveryBackoff, Duration.ofSeconds(1), "delivery-backoff");
		deliveryTimeout = positive(deliveryTimeout, Duration.ofSeconds(10), "delivery-timeout");
	}

	private static Duration positive(Duration value, Duration fallback, String key) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("exogate.webhooks." + key + " must be positive");
		}
		return value;
	}

	private static int atLeastOne(Integer value, int fallback, String key) {
		if (value == null) {
			return fallback;
		}
		if (value < 1) {
			throw new IllegalArgumentException("exogate.webhooks." + key + " must be at least 1");
		}
		return value;
	}

}
