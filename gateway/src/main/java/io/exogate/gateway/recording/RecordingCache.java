package io.exogate.gateway.recording;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Where recordings are kept between requests. Implementations never fail a request: a cache that
 * cannot answer answers nothing, and the gateway goes to Exotel.
 */
public interface RecordingCache {

	/** The cached values of those keys that have one. */
	Mono<Map<String, String>> getAll(Collection<String> keys);

	/** Stores each value for its time to live. */
	Mono<Void> putAll(Map<String, String> values, Map<String, Duration> ttls);

	/** Forgets the given keys. */
	Mono<Void> evict(Collection<String> keys);

	/** What kind of cache this is, for health and logs. */
	String kind();

}
