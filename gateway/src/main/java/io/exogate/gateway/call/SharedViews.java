package io.exogate.gateway.call;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.port.Deadline;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The views other API versions hold of one list of live calls, looked up once per version for every
 * request that resolves the list: the subscribers of an account's {@code activeCalls} share one set of
 * lookups per list, not one set each. A lookup in flight is shared by every field that asks; a finished
 * one serves for {@code ttl} after it finished, and a field resolved later (a subscriber joining late)
 * asks again. Each lookup has the deadline of
 * one request, and a failed one fails its fields for every subscriber of the list until the
 * {@code ttl} passes.
 */
public final class SharedViews {

	private final String account;

	private final List<String> sids;

	private final CallViews views;

	private final Duration ttl;

	private final Duration deadline;

	private final Scheduler scheduler;

	private final Map<ApiVersion, Lookup> lookups = new ConcurrentHashMap<>();

	/**
	 * @param calls the list whose views are shared
	 * @param ttl how long a version's views serve after their lookup finished
	 * @param deadline how long one lookup, retries and budget waits included, may take
	 * @param scheduler the clock of the {@code ttl}
	 */
	public SharedViews(String account, List<Call> calls, CallViews views, Duration ttl, Duration deadline, Scheduler scheduler) {
		this.account = account;
		this.sids = calls.stream().map(Call::sid).toList();
		this.views = views;
		this.ttl = ttl;
		this.deadline = deadline;
		this.scheduler = scheduler;
	}

	/** The version's view of one call of the list; {@code null} when that version does not know the call. */
	CompletableFuture<Call> view(String sid, ApiVersion version) {
		long now = this.scheduler.now(TimeUnit.MILLISECONDS);
		// A lookup in flight is never replaced; a finished one serves for the ttl from when it finished.
		Lookup lookup = this.lookups.compute(version, (key, current) -> (current != null && current.fresh(now, this.ttl.toMillis()))
				? current : newLookup(key));
		return lookup.views().mapNotNull((found) -> found.get(new ViewKey(this.account, sid, version))).toFuture();
	}

	/** Every call of the list at once, in the batches {@link CallViews} makes; asked when first subscribed to, then replayed. */
	private Mono<Map<ViewKey, Call>> lookup(ApiVersion version) {
		Set<ViewKey> keys = new LinkedHashSet<>();
		this.sids.forEach((sid) -> keys.add(new ViewKey(this.account, sid, version)));
		return this.views.lookup(keys).contextWrite((context) -> Deadline.after(this.deadline).writeTo(context));
	}

	private Lookup newLookup(ApiVersion version) {
		java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong(-1);
		Mono<Map<ViewKey, Call>> views = lookup(version)
			.doFinally((signal) -> finished.set(this.scheduler.now(TimeUnit.MILLISECONDS)))
			.cache();
		return new Lookup(views, finished);
	}

	/** One version's views of the list, and when they finished ({@code -1} while in flight). */
	private record Lookup(Mono<Map<ViewKey, Call>> views, java.util.concurrent.atomic.AtomicLong finished) {

		boolean fresh(long now, long ttl) {
			long at = this.finished.get();
			return at < 0 || now - at < ttl;
		}

	}

}
