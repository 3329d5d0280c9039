package io.exogate.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exotel's per-account request budget: a token bucket holding one minute's budget, refilled
 * continuously on the sandbox clock. A dialect with its own budget gets its own bucket.
 */
final class RateLimiter {

	private final Clock clock;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	RateLimiter(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Takes one request from the bucket.
	 * @return zero when allowed, otherwise how long until one request is allowed again
	 */
	Duration acquire(String accountSid, String scope, int perMinute) {
		Bucket bucket = this.buckets.compute(accountSid + "/" + scope,
				(key, existing) -> (existing != null && existing.capacity == perMinute) ? existing
						: new Bucket(perMinute, nanos()));
		return bucket.take(nanos());
	}

	/** The tokens left for {@code accountSid} in {@code scope}, rounded down. */
	long remaining(String accountSid, String scope) {
		Bucket bucket = this.buckets.get(accountSid + "/" + scope);
		return (bucket != null) ? bucket.remaining(nanos()) : -1;
	}

	void reset() {
		this.buckets.clear();
	}

	private long nanos() {
		java.time.Instant now = this.clock.instant();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	/** One bucket; synchronized because refills and takes must not interleave. */
	private static final class Bucket {

		private static final long MINUTE_NANOS = 60_000_000_000L;

		private final int capacity;

		private double tokens;

		private long updatedAt;

		Bucket(int capacity, long now) {
			this.capacity = capacity;
			this.tokens = capacity;
			this.updatedAt = now;
		}

		synchronized Duration take(long now) {
			refill(now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return Duration.ZERO;
			}
			double missing = 1 - this.tokens;
			long waitNanos = (long) Math.ceil(missing * MINUTE_NANOS / this.capacity);
			return Duration.ofNanos(Math.max(1, waitNanos));
		}

		synchronized long remaining(long now) {
			refill(now);
			return (long) Math.floor(this.tokens);
		}

		private void refill(long now) {
			long elapsed = now - this.updatedAt;
			if (elapsed > 0) {
				this.tokens = Math.min(this.capacity, this.tokens + (double) elapsed * this.capacity / MINUTE_NANOS);
				this.updatedAt = now;
			}
		}

	}

}
