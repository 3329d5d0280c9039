package io.exogate.gateway.recording;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shared cache in Redis (Lettuce, reactive). Every command has a short timeout; when Redis
 * cannot be reached the cache answers nothing, the gateway goes to Exotel, and health and logs say
 * so until Redis answers again.
 */
public final class RedisRecordingCache implements RecordingCache, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisRecordingCache.class);

	private static final Duration LOG_EVERY = Duration.ofSeconds(30);

	private final RedisClient client;

	private final RedisURI uri;

	private final Duration timeout;

	private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();

	private final AtomicLong lastWarning = new AtomicLong();

	private volatile boolean reachable = true;

	public RedisRecordingCache(RedisClient client, RedisURI uri, Duration timeout) {
		this.client = client;
		this.uri = uri;
		this.timeout = timeout;
	}

	@Override
	public Mono<Map<String, String>> getAll(Collection<String> keys) {
		if (keys.isEmpty()) {
			return Mono.just(Map.of());
		}
		return commands().flatMap((redis) -> redis.mget(keys.toArray(String[]::new))
			.filter(KeyValue::hasValue)
			.collectMap(KeyValue::getKey, KeyValue::getValue, LinkedHashMap::new))
			.map((found) -> (Map<String, String>) found)
			.timeout(this.timeout)
			.doOnSuccess((found) -> recovered())
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.just(Map.of());
			});
	}

	@Override
	public Mono<Void> putAll(Map<String, String> values, Map<String, Duration> ttls) {
		if (values.isEmpty()) {
			return Mono.empty();
		}
		return commands().flatMap((redis) -> Flux.fromIterable(values.entrySet())
			.flatMap((entry) -> redis.set(entry.getKey(), entry.getValue(), SetArgs.Builder.px(ttls.get(entry.getKey()).toMillis())))
			.then())
			.timeout(this.timeout)
			.doOnSuccess((done) -> recovered())
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> evict(Collection<String> keys) {
		if (keys.isEmpty()) {
			return Mono.empty();
		}
		return commands().flatMap((redis) -> redis.del(keys.toArray(String[]::new)))
			.timeout(this.timeout)
			.then()
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.empty();
			});
	}

	/** PING with the command timeout. */
	public Mono<Boolean> ping() {
		return commands().flatMap(RedisReactiveCommands::ping)
			.map("PONG"::equals)
			.timeout(this.timeout)
			.doOnNext((ok) -> recovered())
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.just(false);
			});
	}

	/** Whether the last command reached Redis. */
	public boolean reachable() {
		return this.reachable;
	}

	@Override
	public String kind() {
		return "redis";
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> current = this.connection.getAndSet(null);
		if (current != null) {
			current.close();
		}
	}

	private Mono<RedisReactiveCommands<String, String>> commands() {
		StatefulRedisConnection<String, String> current = this.connection.get();
		if (current != null) {
			return Mono.just(current.reactive());
		}
		return Mono.fromCompletionStage(() -> this.client.connectAsync(StringCodec.UTF8, this.uri))
			.map((opened) -> {
				if (!this.connection.compareAndSet(null, opened)) {
					opened.closeAsync();
				}
				return this.connection.get().reactive();
			});
	}

	private void recovered() {
		if (!this.reachable) {
			this.reachable = true;
			logger.info("Redis answers again: recordings are cached in Redis");
		}
	}

	private void unreachable(Throwable error) {
		this.reachable = false;
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last > LOG_EVERY.toNanos() && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Redis is unreachable ({}): answering from Exotel without the cache", error.getClass().getSimpleName());
		}
	}

}
