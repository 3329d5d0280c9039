package io.exogate.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counters by endpoint, as served by {@code GET /__sandbox/stats}. */
final class Stats {

	static final List<String> KEYS = List.of("v1.calls.list", "v1.calls.get", "v3.calls.get", "v3.calls.active",
			"v3.voice-logs.get", "v3.voice-logs.bulk", "v3.voice-logs.export", "v4.voicelogs.list", "v4.voicelogs.get",
			"media", "rate_limited");

	private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

	Stats() {
		reset();
	}

	void increment(String key) {
		this.counters.computeIfAbsent(key, (k) -> new LongAdder()).increment();
	}

	long get(String key) {
		LongAdder adder = this.counters.get(key);
		return (adder != null) ? adder.sum() : 0;
	}

	Map<String, Long> snapshot() {
		Map<String, Long> snapshot = new LinkedHashMap<>();
		KEYS.forEach((key) -> snapshot.put(key, get(key)));
		return snapshot;
	}

	void reset() {
		KEYS.forEach((key) -> this.counters.put(key, new LongAdder()));
	}

}
