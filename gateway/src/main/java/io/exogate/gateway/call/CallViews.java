package io.exogate.gateway.call;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallField;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.port.CallSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lazy federation: a field owned by a version the call's base view did not come from is loaded
 * through one DataLoader keyed by (account, SID, version). v1 views of a page are one request per
 * 100 calls (the {@code Sid} filter); v3 and v4 have no batch lookup and are fetched per call, a
 * few at a time. A field is only ever loaded when a query selects it.
 */
@Component
public class CallViews {

	/** Concurrent per-call requests for versions without a batch lookup. */
	static final int PER_CALL_CONCURRENCY = 8;

	private final CallSource calls;

	public CallViews(CallSource calls, BatchLoaderRegistry registry) {
		this.calls = calls;
		registry.forTypePair(ViewKey.class, Call.class).registerMappedBatchLoader((keys, environment) -> lookup(keys));
	}

	/**
	 * The view that carries {@code field}: the base when its version owns the field, else the
	 * field's {@linkplain CallField#lookupVersion() lookup version}'s view, loaded in a batch: the
	 * request's own, or the one every request resolving the node's list shares ({@link CallNode#shared()}).
	 */
	public CompletableFuture<Call> owning(CallNode node, DataLoader<ViewKey, Call> loader, CallField field) {
		for (ApiVersion source : node.base().sources()) {
			if (field.carriedBy(source)) {
				return CompletableFuture.completedFuture(node.base());
			}
		}
		if (node.shared() != null) {
			return node.shared().view(node.sid(), field.lookupVersion());
		}
		return loader.load(new ViewKey(node.account(), node.sid(), field.lookupVersion()));
	}

	/** A field's value from the owning view; {@code null} when that version does not know the call. */
	public <T> CompletableFuture<T> field(CallNode node, DataLoader<ViewKey, Call> loader, CallField field,
			Function<Call, T> value) {
		return owning(node, loader, field).thenApply((view) -> (view != null) ? value.apply(view) : null);
	}

	/** The views the keys name, those a version does not know left out. */
	Mono<Map<ViewKey, Call>> lookup(java.util.Set<ViewKey> keys) {
		Map<List<Object>, List<ViewKey>> groups = keys.stream()
			.collect(Collectors.groupingBy((key) -> List.of(key.account(), key.version()), LinkedHashMap::new, Collectors.toList()));
		return Flux.fromIterable(groups.entrySet()).flatMap((group) -> {
			String account = (String) group.getKey().get(0);
			ApiVersion version = (ApiVersion) group.getKey().get(1);
			List<String> sids = group.getValue().stream().map(ViewKey::sid).toList();
			Flux<Call> views = (version == ApiVersion.V1) ? this.calls.calls(account, sids)
					: Flux.fromIterable(sids).flatMap((sid) -> this.calls.call(account, sid, version)
						.onErrorResume(NotFoundException.class, (ex) -> Mono.empty()), PER_CALL_CONCURRENCY);
			return views.map((call) -> Map.entry(new ViewKey(account, call.sid(), version), call));
		}).collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

}
