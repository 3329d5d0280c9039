package io.exogate.gateway.export;

import io.exogate.gateway.redis.RedisCommands;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ExportStore} in Redis, shared by every instance: {@code exogate:export:<tenant>:<id>} as
 * JSON and {@code exogate:export-owner:<account>:<id>} naming the tenant, both with a time to live,
 * and {@code exogate:export-requests:<account>} counting the account's export requests in flight.
 * Updates compare and set in one script, retried when another instance wrote in between.
 */
public final class RedisExportStore implements ExportStore {

	/** Sets KEYS[1] to ARGV[2] for ARGV[3] ms if it still holds ARGV[1]; 1 when set. */
	static final String COMPARE_AND_SET = """
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
			  return 1
			end
			return 0
			""";

	/**
	 * Adds one to KEYS[1]; a new count lives ARGV[1] ms from its first request, never renewed, so that
	 * the mark of an instance that stopped mid-request lapses however busy the account is.
	 */
	static final String REQUEST_STARTED = """
			local count = redis.call('INCR', KEYS[1])
			if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
			  redis.call('PEXPIRE', KEYS[1], ARGV[1])
			end
			return count
			""";

	/** Takes one from KEYS[1], deleting it at zero; a missing key stays missing. */
	static final String REQUEST_ENDED = """
			local count = tonumber(redis.call('GET', KEYS[1]) or '0')
			if count <= 1 then
			  redis.call('DEL', KEYS[1])
			  return 0
			end
			return redis.call('DECR', KEYS[1])
			""";

	private final RedisCommands redis;

	private final Duration ttl;

	private final Duration timeout;

	private final JsonMapper json = JsonMapper.builder().build();

	public RedisExportStore(RedisCommands redis, Duration ttl, Duration timeout) {
		this.redis = redis;
		this.ttl = ttl;
		this.timeout = timeout;
	}

	@Override
	public Mono<Void> create(ExportState state) {
		SetArgs expiry = SetArgs.Builder.px(this.ttl.toMillis());
		return this.redis.get()
			.flatMap((commands) -> commands.set(key(state.tenant(), state.id()), this.json.writeValueAsString(state), expiry)
				.then(commands.set(ownerKey(state.account(), state.id()), state.tenant(), expiry)))
			.timeout(this.timeout)
			.then();
	}

	@Override
	public Mono<Void> requestStarted(String account, Duration ttl) {
		return this.redis.get()
			.flatMap((commands) -> commands.<Long>eval(REQUEST_STARTED, ScriptOutputType.INTEGER, new String[] { requestsKey(account) },
					String.valueOf(ttl.toMillis())).then())
			.timeout(this.timeout);
	}

	@Override
	public Mono<Void> requestEnded(String account) {
		return this.redis.get()
			.flatMap((commands) -> commands.<Long>eval(REQUEST_ENDED, ScriptOutputType.INTEGER, new String[] { requestsKey(account) })
				.then())
			.timeout(this.timeout);
	}

	@Override
	public Mono<Boolean> requesting(String account) {
		return this.redis.get()
			.flatMap((commands) -> commands.get(requestsKey(account)))
			.map((count) -> Long.parseLong(count) > 0)
			.defaultIfEmpty(false)
			.timeout(this.timeout);
	}

	@Override
	public Mono<ExportState> get(String tenant, String id) {
		return this.redis.get()
			.flatMap((commands) -> commands.get(key(tenant, id)))
			.map((text) -> this.json.readValue(text, ExportState.class))
			.timeout(this.timeout);
	}

	@Override
	public Mono<String> owner(String account, String id) {
		return this.redis.get().flatMap((commands) -> commands.get(ownerKey(account, id))).timeout(this.timeout);
	}

	@Override
	public Mono<Change> update(String tenant, String id, UnaryOperator<ExportState> change) {
		String key = key(tenant, id);
		return this.redis.get().flatMap((commands) -> commands.get(key).flatMap((text) -> {
			ExportState before = this.json.readValue(text, ExportState.class);
			ExportState after = change.apply(before);
			if (after.equals(before)) {
				return Mono.just(new Change(before, after));
			}
			return commands.<Long>eval(COMPARE_AND_SET, ScriptOutputType.INTEGER, new String[] { key }, text,
					this.json.writeValueAsString(after), String.valueOf(this.ttl.toMillis()))
				.next()
				.flatMap((set) -> (set == 1L) ? Mono.just(new Change(before, after)) : Mono.error(new Conflict()));
		}))
			.timeout(this.timeout)
			.retryWhen(Retry.max(10).filter(Conflict.class::isInstance));
	}

	static String key(String tenant, String id) {
		return "exogate:export:" + tenant + ":" + id;
	}

	static String requestsKey(String account) {
		return "exogate:export-requests:" + account;
	}

	static String ownerKey(String account, String id) {
		return "exogate:export-owner:" + account + ":" + id;
	}

	/** Another instance changed the export between the read and the write. */
	private static final class Conflict extends RuntimeException {

		Conflict() {
			super("the export changed meanwhile", null, false, false);
		}

	}

}
