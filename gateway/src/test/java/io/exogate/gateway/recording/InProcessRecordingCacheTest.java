package io.exogate.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-process cache: a time to live per entry, read from the gateway's clock, and a bound on its size. */
class InProcessRecordingCacheTest {

	private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T10:00:00Z"));

	@Test
	void eachEntryExpiresAfterItsOwnTimeToLive() {
		InProcessRecordingCache cache = new InProcessRecordingCache(this.clock, 100);
		cache.putAll(Map.of("short", "a", "long", "b"), Map.of("short", Duration.ofSeconds(20), "long", Duration.ofMinutes(5))).block();
		this.clock.advance(Duration.ofSeconds(19));
		assertThat(cache.getAll(List.of("short", "long")).block()).containsOnlyKeys("short", "long");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(cache.getAll(List.of("short", "long")).block()).containsOnlyKeys("long");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(cache.getAll(List.of("short", "long")).block()).isEmpty();
	}

	@Test
	void itHoldsNoMoreThanItsBound() {
		InProcessRecordingCache cache = new InProcessRecordingCache(this.clock, 100);
		for (int batch = 0; batch < 50; batch++) {
			Map<String, String> values = new HashMap<>();
			Map<String, Duration> ttls = new HashMap<>();
			int first = batch * 200;
			IntStream.range(first, first + 200).forEach((i) -> {
				values.put("k" + i, "v" + i);
				ttls.put("k" + i, Duration.ofMinutes(10));
			});
			cache.putAll(values, ttls).block();
		}
		List<String> every = IntStream.range(0, 10_000).mapToObj((i) -> "k" + i).toList();
		assertThat(cache.getAll(every).block()).hasSizeLessThanOrEqualTo(100);
	}

	@Test
	void evictedKeysAreGone() {
		InProcessRecordingCache cache = new InProcessRecordingCache(this.clock, 100);
		cache.putAll(Map.of("a", "1", "b", "2"), Map.of("a", Duration.ofMinutes(1), "b", Duration.ofMinutes(1))).block();
		cache.evict(List.of("a")).block();
		assertThat(cache.getAll(List.of("a", "b")).block()).containsOnlyKeys("b");
	}

}
