package io.exogate.gateway.redis;

import io.exogate.gateway.recording.RecordingCache;
import io.exogate.gateway.recording.RedisRecordingCache;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * Reports the recording cache: UP when in process or when Redis answers; DEGRADED (HTTP 200)
 * when Redis cannot be reached and the gateway answers from Exotel without it.
 */
public class CacheHealthIndicator implements ReactiveHealthIndicator {

	/** Serving, but slower than it should: the shared cache is unreachable. */
	/** No description: the status is shown to anyone; what is wrong is a detail, for authenticated callers. */
	public static final Status DEGRADED = new Status("DEGRADED");

	private final RecordingCache cache;

	public CacheHealthIndicator(RecordingCache cache) {
		this.cache = cache;
	}

	@Override
	public Mono<Health> health() {
		if (!(this.cache instanceof RedisRecordingCache redis)) {
			return Mono.just(Health.up().withDetail("cache", this.cache.kind()).build());
		}
		return redis.ping().map((reachable) -> reachable
				? Health.up().withDetail("cache", "redis").build()
				: Health.status(DEGRADED).withDetail("cache", "redis").withDetail("redis", "unreachable")
					.withDetail("effect", "answering from Exotel without the cache").build());
	}

}
