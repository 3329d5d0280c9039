package io.exogate.gateway.export;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/** {@link ExportStore} of one instance: bounded in number, each forgotten a while after its last change. */
public final class InProcessExportStore implements ExportStore {

	private final ConcurrentMap<String, ExportState> states;

	private final ConcurrentMap<String, String> owners;

	/** Export requests in flight, by account; none is kept at zero. */
	private final ConcurrentMap<String, Integer> requests = new ConcurrentHashMap<>();

	public InProcessExportStore(Clock clock, Duration ttl, int maxEntries) {
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.states = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(maxEntries)
			.<String, ExportState>build().asMap();
		this.owners = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(ttl).maximumSize(maxEntries)
			.<String, String>build().asMap();
	}

	@Override
	public Mono<Void> create(ExportState state) {
		return Mono.fromRunnable(() -> {
			this.states.put(state.tenant() + ":" + state.id(), state);
			this.owners.put(state.account() + ":" + state.id(), state.tenant());
		});
	}

	@Override
	public Mono<Void> requestStarted(String account, Duration ttl) {
		return Mono.fromRunnable(() -> this.requests.merge(account, 1, Integer::sum));
	}

	@Override
	public Mono<Void> requestEnded(String account) {
		return Mono.fromRunnable(() -> this.requests.computeIfPresent(account, (key, count) -> (count <= 1) ? null : count - 1));
	}

	@Override
	public Mono<Boolean> requesting(String account) {
		return Mono.fromSupplier(() -> this.requests.containsKey(account));
	}

	@Override
	public Mono<ExportState> get(String tenant, String id) {
		return Mono.fromSupplier(() -> this.states.get(tenant + ":" + id));
	}

	@Override
	public Mono<String> owner(String account, String id) {
		return Mono.fromSupplier(() -> this.owners.get(account + ":" + id));
	}

	@Override
	public Mono<Change> update(String tenant, String id, UnaryOperator<ExportState> change) {
		return Mono.fromSupplier(() -> {
			Change[] result = { null };
			this.states.computeIfPresent(tenant + ":" + id, (key, before) -> {
				ExportState after = change.apply(before);
				result[0] = new Change(before, after);
				return after;
			});
			return result[0];
		});
	}

}
