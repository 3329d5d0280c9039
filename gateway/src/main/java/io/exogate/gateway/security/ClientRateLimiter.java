package io.exogate.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each client's requests per minute: one Bucket4j bucket per tenant and client, in Redis when the
 * gateway has one (so that the limit holds across instances), in process otherwise and while Redis
 * does not answer (the limit then holds per instance; an outage is reported once a minute). After
 * Redis fails or does not answer within {@link #REDIS_TIMEOUT}, the buckets in process serve for
 * {@link #LOCAL_AFTER_FAILURE} before Redis is asked again, so that a Redis that hangs delays one
 * request in that time, not every one.
 */
public final class ClientRateLimiter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ClientRateLimiter.class);

	private static final long RETRY_CONNECT_NANOS = Duration.ofSeconds(2).toNanos();

	/** How long a take waits for Redis before it is counted in process. */
	static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);

	/** How long the buckets in process serve alone after Redis failed or did not answer in time. */
	static final Duration LOCAL_AFTER_FAILURE = Duration.ofSeconds(5);

	private final Cache<String, Bucket> local = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(2))
		.build();

	/** The shared buckets' proxies, each batching the takes in flight for its bucket and rebuilt for a new connection. */
	private final Cache<String, Proxy> proxies = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(2))
		.build();

	private final RedisClient redis;

	private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();

	private final AtomicReference<LettuceBasedProxyManager<String>> shared = new AtomicReference<>();

	private final AtomicBoolean connecting = new AtomicBoolean();

	private final LongSupplier nanoTime;

	private final AtomicLong lastAttempt;

	private final AtomicLong lastWarning;

	/** Until when (in {@link #nanoTime} terms) takes stay in process after a failure of Redis. */
	private volatile long localUntil;

	private volatile boolean closed;

	/** @param redis the gateway's Redis, or {@code null} for buckets in process only */
	public ClientRateLimiter(RedisClient redis) {
		this(redis, System::nanoTime);
	}

	/**
	 * @param redis the gateway's Redis, or {@code null} for buckets in process only
	 * @param nanoTime the time source of the connection retries and of the spell in process after a
	 * failure, as {@link System#nanoTime()} reads it
	 */
	ClientRateLimiter(RedisClient redis, LongSupplier nanoTime) {
		this.redis = redis;
		this.nanoTime = nanoTime;
		long now = nanoTime.getAsLong();
		this.lastAttempt = new AtomicLong(now - RETRY_CONNECT_NANOS);
		this.lastWarning = new AtomicLong(now - Duration.ofMinutes(1).toNanos());
		this.localUntil = now;
		if (redis != null) {
			connect();
		}
	}

	/** Whether the next take goes to Redis: connected, and not within {@link #LOCAL_AFTER_FAILURE} of a failure. */
	boolean usesRedis() {
		StatefulRedisConnection<String, byte[]> open = this.connection.get();
		return this.shared.get() != null && open != null && open.isOpen() && this.nanoTime.getAsLong() - this.localUntil >= 0;
	}

	/**
	 * Takes one request from the client's bucket.
	 * @return {@link Duration#ZERO} when the request may go on, else how long until it could
	 */
	public Mono<Duration> take(Caller caller, int perMinute) {
		String key = "exogate:ratelimit:" + caller.tenant() + ":" + caller.client() + ":" + perMinute;
		LettuceBasedProxyManager<String> manager = this.shared.get();
		StatefulRedisConnection<String, byte[]> open = this.connection.get();
		if (manager == null || open == null || !open.isOpen()) {
			connect();
			return Mono.just(localTake(key, perMinute));
		}
		if (this.nanoTime.getAsLong() - this.localUntil < 0) {
			return Mono.just(localTake(key, perMinute));
		}
		return Mono.defer(() -> Mono.fromFuture(proxy(manager, key, perMinute).tryConsumeAndReturnRemaining(1)))
			// Bucket4j's own request timeout fires first and fails the future; this one only backs it up,
			// so that no late error is dropped after the request moved on.
			.timeout(REDIS_TIMEOUT.plusMillis(100))
			.map(ClientRateLimiter::wait)
			.onErrorResume((error) -> {
				this.localUntil = this.nanoTime.getAsLong() + LOCAL_AFTER_FAILURE.toNanos();
				warn("Client rate limits are held per instance for " + LOCAL_AFTER_FAILURE.toSeconds()
						+ " s before Redis is asked again: it did not answer ({})", error.getClass().getSimpleName());
				return Mono.just(localTake(key, perMinute));
			});
	}

	/** The proxy of one shared bucket, built for the current connection. */
	private AsyncBucketProxy proxy(LettuceBasedProxyManager<String> manager, String key, int perMinute) {
		Proxy held = this.proxies.getIfPresent(key);
		if (held == null || held.manager() != manager) {
			held = new Proxy(manager, manager.asAsync()
				.builder()
				// Takes of one bucket in flight together go to Redis as one command, not as racing compare-and-sets.
				.withOptimization(Optimizations.batching())
				.build(key, () -> CompletableFuture.completedFuture(configuration(perMinute))));
			this.proxies.put(key, held);
		}
		return held.bucket();
	}

	private record Proxy(LettuceBasedProxyManager<String> manager, AsyncBucketProxy bucket) {
	}

	private Duration localTake(String key, int perMinute) {
		Bucket bucket = this.local.get(key, (ignored) -> Bucket.builder().addLimit(limit(perMinute)).build());
		return wait(bucket.tryConsumeAndReturnRemaining(1));
	}

	private static Duration wait(ConsumptionProbe probe) {
		return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
	}

	private static BucketConfiguration configuration(int perMinute) {
		return BucketConfiguration.builder().addLimit(limit(perMinute)).build();
	}

	private static Bandwidth limit(int perMinute) {
		return Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build();
	}

	/** Opens the shared buckets off the event loop, at most one attempt every two seconds. */
	private void connect() {
		if (this.redis == null || this.closed) {
			return;
		}
		StatefulRedisConnection<String, byte[]> current = this.connection.get();
		if (current != null && current.isOpen()) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		long last = this.lastAttempt.get();
		if (now - last < RETRY_CONNECT_NANOS || !this.lastAttempt.compareAndSet(last, now)
				|| !this.connecting.compareAndSet(false, true)) {
			return;
		}
		Mono.fromCallable(() -> this.redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)))
			.subscribeOn(Schedulers.boundedElastic())
			.doFinally((signal) -> this.connecting.set(false))
			.subscribe(this::opened, (error) -> warn("Client rate limits are held per instance: Redis is not reachable ({})",
					error.getClass().getSimpleName()));
	}

	private void opened(StatefulRedisConnection<String, byte[]> opened) {
		StatefulRedisConnection<String, byte[]> previous = this.connection.get();
		if (this.closed || !this.connection.compareAndSet(previous, opened)) {
			opened.closeAsync();
			return;
		}
		if (previous != null) {
			previous.closeAsync();
		}
		this.shared.set(Bucket4jLettuce.casBasedBuilder(opened)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
			.requestTimeout(REDIS_TIMEOUT)
			.build());
		logger.info("Client rate limits are shared through Redis");
	}

	private void warn(String message, Object detail) {
		long now = this.nanoTime.getAsLong();
		long last = this.lastWarning.get();
		if (now - last >= Duration.ofMinutes(1).toNanos() && this.lastWarning.compareAndSet(last, now)) {
			logger.warn(message, detail);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, detail);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		StatefulRedisConnection<String, byte[]> current = this.connection.getAndSet(null);
		if (current != null) {
			current.closeAsync();
		}
	}

}
