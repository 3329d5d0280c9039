package io.exogate.gateway.recording;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/** The cache of a single gateway without Redis: the same keys and time-to-live rules, in memory. */
public final class InProcessRecordingCache implements RecordingCache {

	private final Clock clock;

	private final int maxEntries;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	public InProcessRecordingCache(Clock clock, int maxEntries) {
		this.clock = clock;
		this.maxEntries = maxEntries;
	}

	@Override
	public Mono<Map<String, String>> getAll(Collection<String> keys) {
		return Mono.fromSupplier(() -> {
			Instant now = this.clock.instant();
			Map<String, String> found = new HashMap<>();
			for (String key : keys) {
				Entry entry = this.entries.get(key);
				if (entry == null) {
					continue;
				}
				if (now.isBefore(entry.expiresAt)) {
					found.put(key, entry.value);
				}
				else {
					this.entries.remove(key, entry);
				}
			}
			return found;
		});
	}

	@Override
	public Mono<Void> putAll(Map<String, String> values, Map<String, Duration> ttls) {
		return Mono.fromRunnable(() -> {
			Instant now = this.clock.instant();
			values.forEach((key, value) -> this.entries.put(key, new Entry(value, now.plus(ttls.get(key)))));
			if (this.entries.size() > this.maxEntries) {
				evict(now);
			}
		});
	}

	@Override
	public Mono<Void> evict(Collection<String> keys) {
		return Mono.fromRunnable(() -> keys.forEach(this.entries::remove));
	}

	@Override
	public String kind() {
		return "in-process";
	}

	/** Drops expired entries, then the soonest to expire, down to the bound. */
	private void evict(Instant now) {
		this.entries.values().removeIf((entry) -> !now.isBefore(entry.expiresAt));
		Iterator<Map.Entry<String, Entry>> oldest = this.entries.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue((a, b) -> a.expiresAt.compareTo(b.expiresAt)))
			.iterator();
		while (this.entries.size() > this.maxEntries && oldest.hasNext()) {
			this.entries.remove(oldest.next().getKey());
		}
	}

	private record Entry(String value, Instant expiresAt) {
	}

}
