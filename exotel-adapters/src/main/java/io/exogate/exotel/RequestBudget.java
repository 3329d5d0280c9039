package io.exogate.exotel;

import io.exogate.model.error.RateLimitedException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each account's request budget: a token bucket refilled continuously at {@code requestsPerMinute}
 * whose burst keeps 5% (at least one request) in reserve, so that requests in flight and buckets
 * started a moment apart never tip Exotel's own limiter into a 429.
 * <p>
 * In Redis (Bucket4j over Lettuce) every gateway instance shares one bucket per account; without
 * Redis the bucket is in-process. The Redis connection is opened lazily and retried in the
 * background: while it is not (yet) open each instance keeps a bucket of its own, and it becomes
 * the shared budget as soon as Redis answers, without a restart. A Redis that is connected but
 * slow refuses the request here rather than risk exceeding Exotel's limit.
 * <p>
 * A 429 from Exotel {@linkplain #pause pauses} the account until its {@code Retry-After}: requests
 * wait for the pause when their deadline allows, else fail at once as rate limited; in Redis the
 * pause is a debt on the shared bucket, so every instance observes it.
 */
public final class RequestBudget implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RequestBudget.class);

	/** How often a missing Redis is tried again, and how often its absence is logged. */
	private static final long RETRY_CONNECT_NANOS = TimeUnit.SECONDS.toNanos(2);

	private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final ExotelProperties properties;

	private final Map<String, Bucket> local = new ConcurrentHashMap<>();

	private final SharedBuckets shared;

	private final Map<String, Pause> pauses = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler;

	private final Duration maxWait;

	private final int maxQueue;

	private final AtomicInteger waiting = new AtomicInteger();

	private final AdapterMetrics metrics;

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

	private RequestBudget(ExotelProperties properties, RedisClient redis, AdapterMetrics metrics) {
		this.properties = properties;
		this.shared = (redis != null) ? new SharedBuckets(redis) : null;
		this.maxWait = properties.budget().maxWait();
		this.maxQueue = properties.budget().maxQueue();
		this.metrics = metrics;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "exotel-budget");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Buckets held in this process. */
	public static RequestBudget inProcess(ExotelProperties properties, AdapterMetrics metrics) {
		return new RequestBudget(properties, null, metrics);
	}

	/**
	 * Buckets in Redis, shared by every instance using the same Redis; keys are
	 * {@code exogate:budget:<sid>}. The client must carry its Redis URI
	 * ({@code RedisClient.create(uri)}). The connection is opened on first use; while Redis cannot
	 * be reached each instance falls back to a bucket of its own, and the shared budget takes over
	 * once Redis answers.
	 */
	public static RequestBudget redis(RedisClient client, ExotelProperties properties, AdapterMetrics metrics) {
		RequestBudget budget = new RequestBudget(properties, client, metrics);
		budget.shared.connectAtStart();
		return budget;
	}

	/** Whether the shared (Redis) buckets are in use now; always {@code false} for an in-process budget. */
	public boolean isShared() {
		return this.shared != null && this.shared.isOpen();
	}

	/**
	 * Completes when one request of {@code accountSid} may be sent, waiting at most the configured
	 * {@code budget.max-wait}.
	 * @see #acquire(String, String, Duration)
	 */
	public Mono<Void> acquire(String accountSid, String version) {
		return admit(accountSid, version, this.maxWait).then();
	}

	/**
	 * Completes when one request of {@code accountSid} may be sent; signals
	 * {@link RateLimitedException} (with the time after which a request can succeed) when the queue
	 * is full, the account is paused past {@code within}, or a token would come later than that.
	 */
	public Mono<Void> acquire(String accountSid, String version, Duration within) {
		return admit(accountSid, version, within).then();
	}

	/**
	 * As {@link #acquire(String, String, Duration)}, emitting the request's ticket: the pause it was
	 * admitted in ({@code 0} for none), to hand back to {@link #resumed(String, long)} when Exotel answers.
	 */
	public Mono<Long> admit(String accountSid, String version, Duration within) {
		return Mono.defer(() -> {
			Duration allowed = (within.compareTo(this.maxWait) < 0) ? within : this.maxWait;
			if (allowed.isNegative()) {
				allowed = Duration.ZERO;
			}
			Pause pause = this.pauses.get(accountSid);
			long ticket = 0;
			if (pause != null) {
				long now = nowMillis();
				long left = pause.leftFor(now);
				if (left > 0) {
					if (left > allowed.toMillis()) {
						this.metrics.budgetRejected(accountSid, version);
						return Mono.error(paused(accountSid, Duration.ofMillis(left)));
					}
					Duration rest = allowed.minusMillis(left);
					return Mono.delay(Duration.ofMillis(left)).then(admit(accountSid, version, rest));
				}
				ticket = pause.generation();
			}
			if (this.waiting.incrementAndGet() > this.maxQueue + 1) {
				this.waiting.decrementAndGet();
				this.metrics.budgetRejected(accountSid, version);
				return Mono.error(new RateLimitedException("Too many requests are waiting for account " + accountSid
						+ "'s Exotel budget; try again shortly", this.maxWait.isZero() ? Duration.ofSeconds(1) : this.maxWait));
			}
			long started = System.nanoTime();
			long waitNanos = Math.max(1, allowed.toNanos());
			long admitted = ticket;
			return consume(accountSid, waitNanos)
				.doFinally((signal) -> this.waiting.decrementAndGet())
				.flatMap((granted) -> {
					if (!granted) {
						this.metrics.budgetRejected(accountSid, version);
						return refusal(accountSid).flatMap(Mono::error);
					}
					long waited = System.nanoTime() - started;
					if (waited > 1_000_000) {
						this.metrics.budgetWaited(accountSid, version, Duration.ofNanos(waited));
					}
					return Mono.just(admitted);
				});
		});
	}

	/**
	 * Exotel answered 429: no request of the account is sent before {@code retryAfter} has passed.
	 * Then one request at a time probes Exotel, one per interval; each probe that succeeds halves
	 * the interval, until it is no longer than the account's own pace and the pause ends, while a
	 * 429 sets it back to {@code retryAfter}. So Exotel sees at most one 429 per pause besides the
	 * requests already in flight when it began, whose answers neither end nor stack it. In Redis
	 * the account's shared bucket is also emptied and put {@code retryAfter} of refill into debt, so
	 * that every instance pauses.
	 */
	public Mono<Void> pause(String accountSid, Duration retryAfter) {
		return pause(accountSid, retryAfter, 0);
	}

	/**
	 * As {@link #pause(String, Duration)}, for a request admitted with {@code ticket}: a 429 to a
	 * request sent before the pause began (another ticket) neither extends nor slows it.
	 */
	public Mono<Void> pause(String accountSid, Duration retryAfter, long ticket) {
		return Mono.defer(() -> {
			long interval = Math.max(1000, retryAfter.toMillis());
			Pause pause = this.pauses.computeIfAbsent(accountSid, (key) -> new Pause(60_000L / Math.max(1, perMinute(key))));
			boolean fresh = pause.start(nowMillis(), interval, ticket);
			if (!fresh) {
				return Mono.empty();
			}
			logger.debug("Exotel rate limited account {}: paused for {} ms", accountSid, interval);
			if (!isShared()) {
				return Mono.empty();
			}
			return this.shared.indebt(accountSid, retryAfter, perMinute(accountSid)).onErrorResume((error) -> Mono.empty());
		});
	}

	/**
	 * Exotel answered a request of the account, admitted with {@code ticket}, with something other
	 * than 429: when it was the pause's probe, the pause eases.
	 */
	public void resumed(String accountSid, long ticket) {
		Pause pause = this.pauses.get(accountSid);
		if (pause != null && ticket != 0) {
			pause.succeeded(ticket, nowMillis());
		}
	}

	@Override
	public void close() throws Exception {
		this.scheduler.shutdownNow();
		if (this.shared != null) {
			this.shared.close();
		}
	}

	private Mono<Boolean> consume(String accountSid, long waitNanos) {
		if (this.shared == null) {
			return Mono.fromFuture(() -> localBucket(accountSid).asScheduler().tryConsume(1, waitNanos, this.scheduler));
		}
		AsyncBucketProxy bucket = this.shared.bucket(accountSid);
		if (bucket == null) {
			warnFallback();
			this.shared.connectInBackground();
			return Mono.fromFuture(() -> localBucket(accountSid).asScheduler().tryConsume(1, waitNanos, this.scheduler));
		}
		return Mono.fromFuture(() -> bucket.asScheduler().tryConsume(1, waitNanos, this.scheduler))
			// Redis is there but slow or failing: better no request than one over Exotel's limit.
			.onErrorResume((error) -> Mono.just(false));
	}

	/** Why a request was refused, with the time after which one may succeed. */
	private Mono<RateLimitedException> refusal(String accountSid) {
		long pause = pauseLeftMillis(accountSid);
		if (pause > 0) {
			return Mono.just(paused(accountSid, Duration.ofMillis(pause)));
		}
		Mono<Long> nanos;
		AsyncBucketProxy bucket = (this.shared != null) ? this.shared.bucket(accountSid) : null;
		if (bucket != null) {
			nanos = Mono.fromFuture(() -> bucket.estimateAbilityToConsume(1)).map((estimate) -> estimate.getNanosToWaitForRefill());
		}
		else {
			nanos = Mono.fromSupplier(() -> localBucket(accountSid).estimateAbilityToConsume(1).getNanosToWaitForRefill());
		}
		return nanos.onErrorReturn(TimeUnit.SECONDS.toNanos(1))
			.map((wait) -> new RateLimitedException("Account " + accountSid + " has used its Exotel request budget; try again shortly",
					Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(1), wait))));
	}

	private static RateLimitedException paused(String accountSid, Duration left) {
		return new RateLimitedException("Exotel asked to pause requests of account " + accountSid + "; try again shortly", left);
	}

	private long pauseLeftMillis(String accountSid) {
		Pause pause = this.pauses.get(accountSid);
		return (pause != null) ? pause.until() - nowMillis() : 0;
	}

	/**
	 * One account's pause after a 429: closed until {@code until}; then, while active, each request
	 * that finds it open goes through as a probe and closes it again for one interval. Each pause
	 * has its own generation, so that only answers to its own probes ease it.
	 */
	private static final class Pause {

		private final long pace;

		private long until;

		private long interval;

		private boolean active;

		private long generation;

		private long holdUntil;

		/** How long a pace that drew a 429 is kept before probing quicker again. */
		static final long HOLD = 60_000;

		Pause(long pace) {
			this.pace = pace;
		}

		/**
		 * Starts a pause, or slows the one under way; whether it is a new one. A 429 while probing
		 * means the pace was too quick: it is held at {@code retryAfter} for {@link #HOLD} before easing again.
		 */
		synchronized boolean start(long now, long retryAfter, long ticket) {
			if (this.active && ticket != this.generation) {
				// Sent before this pause began: its 429 belongs to the one already under way.
				return false;
			}
			boolean fresh = !this.active;
			if (fresh) {
				this.generation++;
				this.active = true;
			}
			else {
				this.holdUntil = now + HOLD;
			}
			this.interval = Math.max(fresh ? 0 : this.interval, retryAfter);
			this.until = Math.max(this.until, now + retryAfter);
			return fresh;
		}

		/** Milliseconds this request must wait; zero lets it through (as a probe, while active). */
		synchronized long leftFor(long now) {
			if (!this.active) {
				return 0;
			}
			if (now < this.until) {
				return this.until - now;
			}
			this.until = now + this.interval;
			return 0;
		}

		/** The ticket of a request let through now: this pause's generation while active, else none. */
		synchronized long generation() {
			return this.active ? this.generation : 0;
		}

		synchronized long until() {
			return this.active ? this.until : 0;
		}

		/** A probe of generation {@code ticket} succeeded: the interval halves, and the pause ends at the account's pace. */
		synchronized void succeeded(long ticket, long now) {
			if (!this.active || ticket != this.generation || now < this.holdUntil) {
				return;
			}
			this.interval /= 2;
			if (this.interval <= this.pace) {
				this.active = false;
				return;
			}
			this.until = Math.min(this.until, now + this.interval);
		}

	}

	/** Reactor's clock, so that pauses follow virtual time in tests. */
	private static long nowMillis() {
		return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
	}

	private Bucket localBucket(String accountSid) {
		return this.local.computeIfAbsent(accountSid, (key) -> Bucket.builder().addLimit(limit(perMinute(key))).build());
	}

	private int perMinute(String accountSid) {
		ExotelProperties.Account account = this.properties.account(accountSid);
		return (account != null) ? account.requestsPerMinute() : 200;
	}

	private void warnFallback() {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last > WARN_EVERY_NANOS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Redis is unreachable: the Exotel request budget is kept per instance until it answers");
		}
	}

	static Bandwidth limit(int perMinute) {
		int burst = burst(perMinute);
		return BandwidthBuilder.builder().capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1)).initialTokens(burst).build();
	}

	/** The burst a bucket allows: the per-minute budget less a 5% reserve (at least one), never below one. */
	static int burst(int perMinute) {
		return Math.max(1, perMinute - Math.max(1, perMinute / 20));
	}

	/** The buckets in Redis, over a connection opened lazily and retried until Redis answers. */
	private final class SharedBuckets implements AutoCloseable {

		private final RedisClient client;

		private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();

		private final AtomicReference<LettuceBasedProxyManager<String>> manager = new AtomicReference<>();

		private final Map<String, AsyncBucketProxy> buckets = new ConcurrentHashMap<>();

		private final AtomicBoolean connecting = new AtomicBoolean();

		private final AtomicLong lastAttempt = new AtomicLong(System.nanoTime() - RETRY_CONNECT_NANOS);

		private volatile boolean closed;

		SharedBuckets(RedisClient client) {
			this.client = client;
		}

		boolean isOpen() {
			StatefulRedisConnection<String, byte[]> current = this.connection.get();
			return current != null && current.isOpen();
		}

		/** The account's shared bucket, or {@code null} while Redis is not connected. */
		AsyncBucketProxy bucket(String accountSid) {
			LettuceBasedProxyManager<String> current = this.manager.get();
			if (current == null || !isOpen()) {
				return null;
			}
			return this.buckets.computeIfAbsent(accountSid, (key) -> current.asAsync()
				.builder()
				// Takes in flight together go to Redis as one command, not as racing compare-and-sets.
				.withOptimization(Optimizations.batching())
				.build("exogate:budget:" + key, () -> CompletableFuture.completedFuture(
						BucketConfiguration.builder().addLimit(limit(perMinute(key))).build())));
		}

		/** Empties the account's bucket and puts it {@code retryAfter} of refill into debt. */
		Mono<Void> indebt(String accountSid, Duration retryAfter, int perMinute) {
			AsyncBucketProxy bucket = bucket(accountSid);
			if (bucket == null) {
				return Mono.empty();
			}
			long debt = Math.max(1, (long) Math.ceil(retryAfter.toMillis() / 60_000.0 * perMinute));
			return Mono.fromFuture(bucket::tryConsumeAsMuchAsPossible)
				.then(Mono.fromFuture(() -> bucket.consumeIgnoringRateLimits(debt)))
				.then();
		}

		/** One attempt while the application starts (not on an event loop); later attempts run in the background. */
		void connectAtStart() {
			try {
				opened(this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)));
			}
			catch (RuntimeException ex) {
				this.lastAttempt.set(System.nanoTime());
				warnFallback();
			}
		}

		/** Opens the connection off the event loop, at most one attempt every two seconds. */
		void connectInBackground() {
			long now = System.nanoTime();
			long last = this.lastAttempt.get();
			if (this.closed || this.manager.get() != null || now - last < RETRY_CONNECT_NANOS
					|| !this.lastAttempt.compareAndSet(last, now) || !this.connecting.compareAndSet(false, true)) {
				return;
			}
			Mono.fromCallable(() -> this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)))
				.subscribeOn(Schedulers.boundedElastic())
				.doFinally((signal) -> this.connecting.set(false))
				.subscribe(this::opened, (error) -> warnFallback());
		}

		private void opened(StatefulRedisConnection<String, byte[]> opened) {
			if (this.closed || !this.connection.compareAndSet(null, opened)) {
				opened.closeAsync();
				return;
			}
			this.manager.set(Bucket4jLettuce.casBasedBuilder(opened)
				.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(2)))
				.requestTimeout(Duration.ofSeconds(2))
				.build());
			logger.info("The Exotel request budget is shared through Redis");
		}

		@Override
		public void close() {
			this.closed = true;
			StatefulRedisConnection<String, byte[]> current = this.connection.getAndSet(null);
			if (current != null) {
				current.close();
			}
		}

	}

}
