package io.exogate.gateway.persisted;

import io.exogate.gateway.logging.LogLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The store shared by every gateway on one Redis: {@code SET ... PX ttl} and {@code GET} under
 * {@code exogate:apq:<tenant>:<hash>}, Lettuce's asynchronous commands each bounded by a timeout.
 * While Redis cannot answer, a lookup is a miss and a registration keeps nothing (the client sends
 * the document again), with one WARN a minute at most.
 */
public final class RedisPersistedQueryStore implements PersistedQueryStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisPersistedQueryStore.class);

	private final RedisClient client;

	private final RedisURI uri;

	private final Duration ttl;

	private final Duration timeout;

	private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();

	private final LogLimiter warnings = new LogLimiter(Duration.ofMinutes(1));

	private volatile boolean reachable = true;

	private volatile boolean closed;

	public RedisPersistedQueryStore(RedisClient client, RedisURI uri, Duration ttl, Duration timeout) {
		this.client = client;
		this.uri = uri;
		this.ttl = ttl;
		this.timeout = timeout;
	}

	@Override
	public Mono<String> find(String tenant, String hash) {
		String key = PersistedQueryStore.key(tenant, hash);
		return connection().flatMap((redis) -> Mono.fromCompletionStage(redis.async().get(key)))
			.timeout(this.timeout)
			.doOnSuccess((found) -> recovered())
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> save(String tenant, String hash, String document) {
		String key = PersistedQueryStore.key(tenant, hash);
		return connection().flatMap((redis) -> Mono.fromCompletionStage(redis.async().set(key, document, SetArgs.Builder.px(this.ttl.toMillis()))))
			.timeout(this.timeout)
			.doOnSuccess((done) -> recovered())
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.empty();
			})
			.then();
	}

	@Override
	public void close() {
		this.closed = true;
		StatefulRedisConnection<String, String> current = this.connection.getAndSet(null);
		if (current != null) {
			current.close();
		}
	}

	/** The connection, opened on first use; one opened after its caller gave up is kept, not leaked. */
	private Mono<StatefulRedisConnection<String, String>> connection() {
		StatefulRedisConnection<String, String> current = this.connection.get();
		if (current != null) {
			return Mono.just(current);
		}
		return Mono.fromCompletionStage(() -> this.client.connectAsync(StringCodec.UTF8, this.uri).thenApply(this::keep));
	}

	private StatefulRedisConnection<String, String> keep(StatefulRedisConnection<String, String> opened) {
		if (this.closed || !this.connection.compareAndSet(null, opened)) {
			opened.closeAsync();
		}
		return this.connection.get();
	}

	private void recovered() {
		if (!this.reachable) {
			this.reachable = true;
			logger.info("Redis answers again: persisted queries are kept in Redis");
		}
	}

	private void unreachable(Throwable error) {
		this.reachable = false;
		long suppressed = this.warnings.tryAcquire("redis");
		if (suppressed >= 0) {
			logger.warn("Redis is unreachable ({}; {} more like it since the last report): persisted queries are neither found "
					+ "nor kept until it answers", error.getClass().getSimpleName(), suppressed);
		}
	}

}
