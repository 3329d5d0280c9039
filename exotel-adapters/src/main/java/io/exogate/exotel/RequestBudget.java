package io.exogate.exotel;

import io.exogate.model.error.RateLimitedException;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.SchedulingBucket;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Each account's request budget: a token bucket refilled continuously at {@code requestsPerMinute}
 * whose burst keeps 5% (at least one request) in reserve, so that requests in flight and buckets
 * started a moment apart never tip Exotel's own limiter into a 429. In Redis (Bucket4j over Lettuce) every gateway instance shares one bucket per
 * account; without Redis the bucket is in-process. While the Redis connection is down each
 * instance falls back to a bucket of its own; a Redis that is connected but slow refuses the
 * request here rather than risk exceeding Exotel's limit. Over budget a request waits, in a bounded queue
 * for a bounded time, then fails as rate limited.
 */
public final class RequestBudget implements AutoCloseable {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(RequestBudget.class);

	private final Function<String, SchedulingBucket> buckets;

	/** Used while the shared buckets' Redis is disconnected; {@code null} for in-process budgets. */
	private final Function<String, SchedulingBucket> fallback;

	/** Whether the shared buckets' connection is up; a failure while it is up never falls back. */
	private final java.util.function.BooleanSupplier connected;

	private final java.util.concurrent.atomic.AtomicLong lastWarning = new java.util.concurrent.atomic.AtomicLong();

	private final ScheduledExecutorService scheduler;

	private final Duration maxWait;

	private final int maxQueue;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AdapterMetrics metrics;

	private final AutoCloseable resources;

	private RequestBudget(Function<String, SchedulingBucket> buckets, Function<String, SchedulingBucket> fallback,
			java.util.function.BooleanSupplier connected, ExotelProperties.Budget budget, AdapterMetrics metrics,
			AutoCloseable resources) {
		this.buckets = buckets;
		this.fallback = fallback;
		this.connected = connected;
		this.maxWait = budget.maxWait();
		this.maxQueue = budget.maxQueue();
		this.metrics = metrics;
		this.resources = resources;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "exotel-budget");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Buckets held in this process. */
	public static RequestBudget inProcess(ExotelProperties properties, AdapterMetrics metrics) {
		return new RequestBudget(localBuckets(properties), null, () -> true, properties.budget(), metrics, () -> {
		});
	}

	private static Function<String, SchedulingBucket> localBuckets(ExotelProperties properties) {
		Map<String, SchedulingBucket> buckets = new ConcurrentHashMap<>();
		return (sid) -> buckets.computeIfAbsent(sid, (key) -> Bucket.builder().addLimit(limit(properties, key)).build().asScheduler());
	}

	/**
	 * Buckets in Redis, shared by every instance using the same Redis; keys are
	 * {@code exogate:budget:<sid>}. While Redis cannot be reached, each instance falls back to a
	 * bucket of its own rather than failing requests.
	 */
	public static RequestBudget redis(RedisClient client, ExotelProperties properties, AdapterMetrics metrics) {
		StatefulRedisConnection<String, byte[]> connection;
		try {
			connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		}
		catch (RuntimeException ex) {
			logger.warn("Redis is unreachable ({}): the Exotel request budget is kept per instance", ex.getClass().getSimpleName());
			return inProcess(properties, metrics);
		}
		LettuceBasedProxyManager<String> proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(io.github.bucket4j.distributed.ExpirationAfterWriteStrategy
				.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
			.requestTimeout(Duration.ofSeconds(2))
			.build();
		Map<String, SchedulingBucket> buckets = new ConcurrentHashMap<>();
		return new RequestBudget((sid) -> buckets.computeIfAbsent(sid, (key) -> {
			AsyncBucketProxy bucket = proxyManager.asAsync()
				.builder()
				.build("exogate:budget:" + key, () -> java.util.concurrent.CompletableFuture
					.completedFuture(BucketConfiguration.builder().addLimit(limit(properties, key)).build()));
			return bucket.asScheduler();
		}), localBuckets(properties), connection::isOpen, properties.budget(), metrics, connection::close);
	}

	/**
	 * Completes when one request of {@code accountSid} may be sent; signals
	 * {@link RateLimitedException} when the queue is full or the wait would be too long.
	 */
	public Mono<Void> acquire(String accountSid, String version) {
		return Mono.defer(() -> {
			if (this.waiting.incrementAndGet() > this.maxQueue + 1) {
				this.waiting.decrementAndGet();
				this.metrics.budgetRejected(accountSid, version);
				return Mono.error(new RateLimitedException("Too many requests are waiting for account " + accountSid
						+ "'s Exotel budget; try again shortly", this.maxWait.isZero() ? Duration.ofSeconds(1) : this.maxWait));
			}
			long started = System.nanoTime();
			long maxWaitNanos = Math.max(1, this.maxWait.toNanos());
			Mono<Boolean> decision = Mono.fromFuture(() -> this.buckets.apply(accountSid).tryConsume(1, maxWaitNanos, this.scheduler));
			if (this.fallback != null) {
				decision = decision.onErrorResume((error) -> {
					if (this.connected.getAsBoolean()) {
						// Redis is there but slow or failing: better no request than one over Exotel's limit.
						return Mono.just(false);
					}
					warnFallback(error);
					return Mono.fromFuture(() -> this.fallback.apply(accountSid).tryConsume(1, maxWaitNanos, this.scheduler));
				});
			}
			return decision
				.doFinally((signal) -> this.waiting.decrementAndGet())
				.flatMap((granted) -> {
					long waited = System.nanoTime() - started;
					if (!granted) {
						this.metrics.budgetRejected(accountSid, version);
						return Mono.error(new RateLimitedException("Account " + accountSid
								+ " has used its Exotel request budget; try again shortly", Duration.ofSeconds(1)));
					}
					if (waited > 1_000_000) {
						this.metrics.budgetWaited(accountSid, version, Duration.ofNanos(waited));
					}
					return Mono.empty();
				});
		});
	}

	private void warnFallback(Throwable error) {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last > 30_000_000_000L && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Redis is unreachable ({}): the Exotel request budget is kept per instance until it answers",
					error.getClass().getSimpleName());
		}
	}

	@Override
	public void close() throws Exception {
		this.scheduler.shutdownNow();
		this.resources.close();
	}

	private static io.github.bucket4j.Bandwidth limit(ExotelProperties properties, String sid) {
		ExotelProperties.Account account = properties.account(sid);
		int perMinute = (account != null) ? account.requestsPerMinute() : 200;
		int burst = burst(perMinute);
		return BandwidthBuilder.builder()
			.capacity(burst)
			.refillGreedy(perMinute, Duration.ofMinutes(1))
			.initialTokens(burst)
			.build();
	}

	/** The burst a bucket allows: the per-minute budget less a 5% reserve (at least one), never below one. */
	static int burst(int perMinute) {
		return Math.max(1, perMinute - Math.max(1, perMinute / 20));
	}

}
