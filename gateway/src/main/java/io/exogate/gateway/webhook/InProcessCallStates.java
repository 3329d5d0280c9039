package io.exogate.gateway.webhook;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/** {@link CallStates} of one instance: bounded in number, each forgotten a while after its last change. */
public final class InProcessCallStates implements CallStates {

	private final ConcurrentMap<String, CallState> states;

	public InProcessCallStates(Clock clock, Duration ttl, int maxEntries) {
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.states = Caffeine.newBuilder()
			.ticker(ticker)
			.expireAfterWrite(ttl)
			.maximumSize(maxEntries)
			.<String, CallState>build()
			.asMap();
	}

	@Override
	public Mono<Boolean> advance(String account, StatusCallback callback) {
		return Mono.fromSupplier(() -> {
			CallState next = CallState.of(callback);
			boolean[] changed = { false };
			this.states.compute(key(account, callback.callSid()), (key, known) -> {
				if (known != null && next.compareTo(known) <= 0) {
					return known;
				}
				changed[0] = true;
				return next;
			});
			return changed[0];
		});
	}

	@Override
	public Mono<CallState> get(String account, String callSid) {
		return Mono.fromSupplier(() -> this.states.get(key(account, callSid)));
	}

	private static String key(String account, String callSid) {
		return account + ":" + callSid;
	}

}
