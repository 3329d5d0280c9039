package io.exogate.sandbox;

import java.time.Duration;

/**
 * Faults injected into one dialect's answers.
 *
 * @param latency added before every answer
 * @param errorRate share of requests answered 500 with an HTML body, 0 to 1
 * @param forcedStatus a status every request is answered with, or 0 for none
 * @param rateLimitPerMinute this dialect's own budget per account, or 0 to share the account's
 */
record Fault(Duration latency, double errorRate, int forcedStatus, int rateLimitPerMinute) {

	static final Fault NONE = new Fault(Duration.ZERO, 0, 0, 0);

	Fault {
		if (latency == null || latency.isNegative()) {
			throw new IllegalArgumentException("latency must be zero or more");
		}
		if (latency.compareTo(Duration.ofMinutes(2)) > 0) {
			throw new IllegalArgumentException("latency may be at most two minutes");
		}
		if (!(errorRate >= 0 && errorRate <= 1)) {
			throw new IllegalArgumentException("errorRate must be between 0 and 1");
		}
		if (forcedStatus != 0 && (forcedStatus < 200 || forcedStatus > 599)) {
			throw new IllegalArgumentException("forcedStatus must be an HTTP status from 200 to 599, or 0");
		}
		if (rateLimitPerMinute < 0) {
			throw new IllegalArgumentException("rateLimitPerMinute cannot be negative");
		}
	}

}
