package io.exogate.gateway.webhook;

import io.exogate.gateway.logging.LogLimiter;
import io.exogate.gateway.redis.RedisCommands;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@link CallStates} in Redis, shared by every instance: {@code exogate:call-state:<account>:<call>},
 * compared and set in one script, so that two instances receiving a callback and its retry at once
 * apply it once. While Redis cannot be reached, this instance orders callbacks on its own
 * ({@code fallback}), so that webhooks keep working; the outage is logged once per interval.
 */
public final class RedisCallStates implements CallStates {

	/** Sets KEYS[1] to ARGV[1]|ARGV[2]|ARGV[3] for ARGV[4] ms unless what it holds orders at or after it; 1 when set. */
	static final String ADVANCE = """
			local known = redis.call('GET', KEYS[1])
			if known then
			  local rank, time, content = string.match(known, '^(%d+)|(%d+)|(.*)$')
			  if rank then
			    local newRank, newTime = tonumber(ARGV[1]), tonumber(ARGV[2])
			    rank, time = tonumber(rank), tonumber(time)
			    if newRank < rank then return 0 end
			    if newRank == rank then
			      if newTime < time then return 0 end
			      if newTime == time and ARGV[3] <= content then return 0 end
			    end
			  end
			end
			redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2] .. '|' .. ARGV[3], 'PX', ARGV[4])
			return 1
			""";

	private static final Logger logger = LoggerFactory.getLogger(RedisCallStates.class);

	private final RedisCommands redis;

	private final Duration ttl;

	private final Duration timeout;

	private final CallStates fallback;

	private final LogLimiter warnings = new LogLimiter(Duration.ofSeconds(30));

	public RedisCallStates(RedisCommands redis, Duration ttl, Duration timeout, CallStates fallback) {
		this.redis = redis;
		this.ttl = ttl;
		this.timeout = timeout;
		this.fallback = fallback;
	}

	@Override
	public Mono<Boolean> advance(String account, StatusCallback callback) {
		CallState next = CallState.of(callback);
		return this.redis.get()
			.flatMap((commands) -> commands.<Long>eval(ADVANCE, ScriptOutputType.INTEGER, new String[] { key(account, callback.callSid()) },
					String.valueOf(next.rank()), String.valueOf(next.updatedMillis()), next.content(),
					String.valueOf(this.ttl.toMillis()))
				.next())
			.map((set) -> set == 1L)
			.timeout(this.timeout)
			.onErrorResume((error) -> {
				unreachable(error);
				return this.fallback.advance(account, callback);
			});
	}

	@Override
	public Mono<CallState> get(String account, String callSid) {
		return this.redis.get()
			.flatMap((commands) -> commands.get(key(account, callSid)))
			.map(CallState::decode)
			.timeout(this.timeout)
			.onErrorResume((error) -> {
				unreachable(error);
				return this.fallback.get(account, callSid);
			});
	}

	private void unreachable(Throwable error) {
		long held = this.warnings.tryAcquire("redis");
		if (held >= 0) {
			logger.warn("Redis is unreachable ({}): status callbacks are ordered by this instance alone{}",
					error.getClass().getSimpleName(), (held > 0) ? " (" + held + " more since the last line)" : "");
		}
	}

	static String key(String account, String callSid) {
		return "exogate:call-state:" + account + ":" + callSid;
	}

}
