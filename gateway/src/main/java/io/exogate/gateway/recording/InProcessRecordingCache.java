package io.exogate.gateway.recording;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The cache of a single gateway without Redis: the same keys and time-to-live rules, in memory, on
 * Caffeine with a time to live per entry, bounded in size, its time read from the gateway's clock.
 */
public final class InProcessRecordingCache implements RecordingCache {

	private final Cache<String, Entry> entries;

	public InProcessRecordingCache(Clock clock, int maxEntries) {
		this.entries = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(new Expiry<String, Entry>() {

				@Override
				public long expireAfterCreate(String key, Entry entry, long currentTime) {
					return entry.ttl.toNanos();
				}

				@Override
				public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
					return entry.ttl.toNanos();
				}

				@Override
				public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
					return currentDuration;
				}

			})
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Map<String, String>> getAll(Collection<String> keys) {
		return Mono.fromSupplier(() -> {
			Map<String, Entry> found = this.entries.getAllPresent(keys);
			Map<String, String> values = new java.util.HashMap<>();
			found.forEach((key, entry) -> values.put(key, entry.value));
			return values;
		});
	}

	@Override
	public Mono<Void> putAll(Map<String, String> values, Map<String, Duration> ttls) {
		return Mono.fromRunnable(() -> values.forEach((key, value) -> this.entries.put(key, new Entry(value, ttls.get(key)))));
	}

	@Override
	public Mono<Void> evict(Collection<String> keys) {
		return Mono.fromRunnable(() -> this.entries.invalidateAll(keys));
	}

	@Override
	public String kind() {
		return "in-process";
	}

	private record Entry(String value, Duration ttl) {
	}

}
