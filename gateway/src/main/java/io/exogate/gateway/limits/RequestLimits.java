package io.exogate.gateway.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What one GraphQL request may ask for ({@code exogate.request.*}).
 *
 * @param deadline every upstream attempt, retry and budget wait of a request ends by then
 * @param maxCost the most upstream requests an operation may cost in the worst case; {@code null}
 * means a quarter of the smallest configured account's per-minute budget
 * @param maxAliases the most aliased fields an operation may hold
 * @param maxDepth the most nested field levels an operation may hold
 * @param maxFields the most fields an operation may expand to, fragments included
 * @param activeCallsEstimate how many live calls the cost of an {@code activeCalls} selection assumes
 */
@ConfigurationProperties("exogate.request")
public record RequestLimits(Duration deadline, Integer maxCost, Integer maxAliases, Integer maxDepth, Integer maxFields,
		Integer activeCallsEstimate) {

	public RequestLimits {
		deadline = (deadline != null) ? deadline : Duration.ofSeconds(10);
		if (deadline.isNegative() || deadline.isZero()) {
			throw new IllegalArgumentException("exogate.request.deadline must be positive");
		}
		if (maxCost != null && maxCost < 1) {
			throw new IllegalArgumentException("exogate.request.max-cost must be at least 1");
		}
		maxAliases = atLeast(maxAliases, 30, 0, "max-aliases");
		maxDepth = atLeast(maxDepth, 15, 1, "max-depth");
		maxFields = atLeast(maxFields, 2000, 1, "max-fields");
		activeCallsEstimate = atLeast(activeCallsEstimate, 100, 1, "active-calls-estimate");
	}

	private static int atLeast(Integer value, int fallback, int minimum, String key) {
		if (value == null) {
			return fallback;
		}
		if (value < minimum) {
			throw new IllegalArgumentException("exogate.request." + key + " must be at least " + minimum);
		}
		return value;
	}

}
