package io.exogate.gateway.persisted;

import io.exogate.gateway.logging.LogLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The store shared by every gateway on one Redis: documents under {@code exogate:apq:<tenant>:<hash>}
 * for the time to live, Lettuce's asynchronous commands each bounded by a timeout. Each tenant has an
 * allowance of {@code maxEntries} registrations per time-to-live window, counted under
 * {@code exogate:apq:registrations:<tenant>} (which expires with the window): past it a registration
 * keeps nothing until the window ends, so that a tenant's clients make Redis keep at most
 * {@code maxEntries} documents of at most {@link PersistedDocuments#MAX_KEPT_LENGTH} characters per
 * window (and hold at most twice that at once, the last of a window outliving it by a time to live). While
 * Redis cannot answer, a lookup is a miss and a registration keeps nothing (the client sends the
 * document again). Either is logged at WARN once a minute at most (per tenant for the allowance).
 */
public final class RedisPersistedQueryStore implements PersistedQueryStore, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisPersistedQueryStore.class);

	/**
	 * Counts the registration in the tenant's window, starting the window on the first (and on a
	 * counter left without an expiry), and keeps the document only within the allowance: 1 when kept,
	 * 0 when the allowance is spent. KEYS: the counter, the document; ARGV: the window and time to live
	 * in milliseconds, the allowance, the document.
	 */
	private static final String REGISTER = """
			local count = redis.call('INCR', KEYS[1])
			if redis.call('PTTL', KEYS[1]) < 0 then
			  redis.call('PEXPIRE', KEYS[1], ARGV[1])
			end
			if count > tonumber(ARGV[2]) then
			  return 0
			end
			redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[1])
			return 1
			""";

	private final RedisClient client;

	private final RedisURI uri;

	private final Duration ttl;

	private final int maxEntries;

	private final Duration timeout;

	private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();

	private final LogLimiter warnings = new LogLimiter(Duration.ofMinutes(1));

	private final LogLimiter spent = new LogLimiter(Duration.ofMinutes(1));

	private volatile boolean reachable = true;

	private volatile boolean closed;

	/**
	 * @param ttl how long a document is kept, and the window a tenant's allowance is counted in
	 * @param maxEntries a tenant's allowance: the most registrations kept per window
	 */
	public RedisPersistedQueryStore(RedisClient client, RedisURI uri, Duration ttl, int maxEntries, Duration timeout) {
		this.client = client;
		this.uri = uri;
		this.ttl = ttl;
		this.maxEntries = maxEntries;
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
		String[] keys = { registrationsKey(tenant), PersistedQueryStore.key(tenant, hash) };
		String ttlMillis = Long.toString(this.ttl.toMillis());
		return connection()
			.flatMap((redis) -> Mono.fromCompletionStage(redis.async()
				.<Long>eval(REGISTER, ScriptOutputType.INTEGER, keys, ttlMillis, Integer.toString(this.maxEntries), document)))
			.timeout(this.timeout)
			.doOnSuccess((kept) -> {
				recovered();
				if (kept != null && kept == 0) {
					allowanceSpent(tenant);
				}
			})
			.onErrorResume((error) -> {
				unreachable(error);
				return Mono.empty();
			})
			.then();
	}

	/** {@code exogate:apq:registrations:<tenant>}, the count of the tenant's registrations in the current window. */
	static String registrationsKey(String tenant) {
		return "exogate:apq:registrations:" + tenant;
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

	private void allowanceSpent(String tenant) {
		long suppressed = this.spent.tryAcquire(tenant);
		if (suppressed >= 0) {
			logger.warn("Tenant {} has spent its allowance of {} automatic persisted query registrations per {} ({} more refused since the "
					+ "last report): documents run but are not kept until the window ends", tenant, this.maxEntries, this.ttl, suppressed);
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
