package io.exogate.gateway.persisted;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/** The store of a single gateway without Redis: Caffeine, bounded in size, its time to live read from the gateway's clock. */
public final class InProcessPersistedQueryStore implements PersistedQueryStore {

	private final Cache<String, String> documents;

	public InProcessPersistedQueryStore(Clock clock, int maxEntries, Duration ttl) {
		this.documents = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.expireAfterWrite(ttl)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<String> find(String tenant, String hash) {
		return Mono.fromSupplier(() -> this.documents.getIfPresent(PersistedQueryStore.key(tenant, hash)));
	}

	@Override
	public Mono<Void> save(String tenant, String hash, String document) {
		return Mono.fromRunnable(() -> this.documents.put(PersistedQueryStore.key(tenant, hash), document));
	}

}
