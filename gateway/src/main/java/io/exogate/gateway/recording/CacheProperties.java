package io.exogate.gateway.recording;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Recording cache settings ({@code exogate.cache.*}).
 *
 * @param redisUrl {@code redis://host:port} of the shared cache; {@code null} for the in-process cache
 * @param safetyMargin a cached URL is refreshed this long before it expires; nothing is cached for less
 * @param processingTtl how long a PROCESSING answer is kept, so polling does not hammer Exotel
 * @param notAvailableTtl how long a NOT_AVAILABLE answer is kept
 * @param maxEntries the most entries the in-process cache holds
 * @param redisTimeout how long a Redis command may take before the gateway goes to Exotel instead
 */
@ConfigurationProperties("exogate.cache")
public record CacheProperties(URI redisUrl, Duration safetyMargin, Duration processingTtl, Duration notAvailableTtl,
		Integer maxEntries, Duration redisTimeout) {

	public CacheProperties {
		if (redisUrl != null && !("redis".equals(redisUrl.getScheme()) || "rediss".equals(redisUrl.getScheme()))) {
			throw new IllegalArgumentException("exogate.cache.redis-url must be a redis:// or rediss:// URL");
		}
		safetyMargin = notNegative(safetyMargin, Duration.ofSeconds(60), "safety-margin");
		processingTtl = notNegative(processingTtl, Duration.ofSeconds(20), "processing-ttl");
		notAvailableTtl = notNegative(notAvailableTtl, Duration.ofMinutes(5), "not-available-ttl");
		maxEntries = (maxEntries != null) ? maxEntries : 100_000;
		if (maxEntries < 1) {
			throw new IllegalArgumentException("exogate.cache.max-entries must be at least 1");
		}
		redisTimeout = notNegative(redisTimeout, Duration.ofMillis(500), "redis-timeout");
	}

	private static Duration notNegative(Duration value, Duration fallback, String key) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative()) {
			throw new IllegalArgumentException("exogate.cache." + key + " cannot be negative");
		}
		return value;
	}

}
