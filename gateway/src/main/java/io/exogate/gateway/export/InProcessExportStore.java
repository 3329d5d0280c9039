package io.exogate.gateway.export;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/** {@link ExportStore} of one instance: bounded in number, each forgotten a while after its last change. */
public final class InProcessExportStore implements ExportStore {

	private final ConcurrentMap<String, ExportState> states;

	private final ConcurrentMap<String, String> owners;

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
