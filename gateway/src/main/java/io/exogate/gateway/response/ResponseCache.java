package io.exogate.gateway.response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import graphql.ExecutionResult;
import io.exogate.gateway.response.ResponseTicket.Issued;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whole answers of recording-only queries, in process, keyed by tenant, document, operation name and
 * variables: never shared between tenants. An answer is kept until the first of its signed URLs or
 * playback links comes within the safety margin of its expiry (a PROCESSING or NOT_AVAILABLE recording
 * for that status's TTL), never longer than {@code max-ttl}, and is dropped as soon as a status callback
 * changes one of its calls. Freshness is checked against the {@link Clock} on every read.
 */
public final class ResponseCache {

	/** What identifies an answer. */
	record Key(String tenant, String document, String operationName, Map<String, Object> variables) {
	}

	/** A kept answer and the recordings in it. */
	record Entry(ExecutionResult result, Instant expiresAt, List<Issued> recordings, int weight) {
	}

	private final Clock clock;

	private final Duration safetyMargin;

	private final BooleanSupplier live;

	private final LongSupplier outages;

	private final AtomicLong outagesSeen;

	/** Set when the call events stopped reaching the cache: nothing is served or kept any more. */
	private volatile boolean deaf;

	private final Duration maxTtl;

	private final Cache<Key, Entry> entries;

	/** The keys holding each call ({@code account NUL callSid}), for eviction by callback. */
	private final Map<String, Set<Key>> byCall = new ConcurrentHashMap<>();

	private final LongAdder hits = new LongAdder();

	/** Bumped before every eviction: an answer computed across one is not kept. */
	private final AtomicLong epoch = new AtomicLong();

	/**
	 * @param live whether call events of other instances reach this one now: nothing is served or kept otherwise
	 * @param outages a count that changes whenever such events may have been lost: everything kept is dropped
	 */
	public ResponseCache(Clock clock, Duration safetyMargin, ResponseCacheProperties properties, BooleanSupplier live,
			LongSupplier outages) {
		this.live = live;
		this.outages = outages;
		this.outagesSeen = new AtomicLong(outages.getAsLong());
		this.clock = clock;
		this.safetyMargin = safetyMargin;
		this.maxTtl = properties.maxTtl();
		this.entries = Caffeine.newBuilder()
			// Half of max-size: the other half is for the answers' bytes (ResponseBytes).
			.maximumWeight(properties.maxSize().toBytes() / 2)
			.<Key, Entry>weigher((key, entry) -> entry.weight())
			.expireAfter(Expiry.<Key, Entry>creating((key, entry) -> {
				Duration left = Duration.between(this.clock.instant(), entry.expiresAt());
				return left.isNegative() ? Duration.ZERO : left;
			}))
			.executor(Runnable::run)
			.removalListener((Key key, Entry entry, RemovalCause cause) -> {
				if (key != null && entry != null) {
					unindex(key, entry);
				}
			})
			.build();
	}

	/** A ticket for an execution that starts now. */
	ResponseTicket ticket() {
		return new ResponseTicket(this.epoch.get());
	}

	/** The answer kept for this key while it is fresh, else {@code null}; a hit when found. */
	Entry lookup(Key key) {
		Entry entry = peek(key);
		if (entry != null) {
			hit();
		}
		return entry;
	}

	/** The answer kept for this key while it is fresh, else {@code null}; not counted. */
	Entry peek(Key key) {
		if (!trusted()) {
			return null;
		}
		Entry entry = this.entries.getIfPresent(key);
		if (entry == null) {
			return null;
		}
		if (!this.clock.instant().isBefore(entry.expiresAt())) {
			this.entries.asMap().remove(key, entry);
			return null;
		}
		return entry;
	}

	void hit() {
		this.hits.increment();
	}

	/**
	 * Whether call events reach this instance, so that what is kept can be dropped in time: not while the
	 * relay between instances is down, and everything kept before a disconnection is dropped after it.
	 */
	private boolean trusted() {
		if (this.deaf || !this.live.getAsBoolean()) {
			return false;
		}
		long seen = this.outagesSeen.get();
		long now = this.outages.getAsLong();
		if (now != seen) {
			if (this.outagesSeen.compareAndSet(seen, now)) {
				this.epoch.incrementAndGet();
				this.entries.invalidateAll();
			}
			return false;
		}
		return true;
	}

	/** The call events stopped reaching the cache: from now on it serves and keeps nothing. */
	void deafened() {
		this.deaf = true;
		this.epoch.incrementAndGet();
		this.entries.invalidateAll();
	}

	/**
	 * Keeps an answer if its ticket allows it, it has data and no error, and no call changed while it
	 * was computed. Returns the entry kept, or {@code null}.
	 */
	Entry offer(Key key, ResponseTicket ticket, ExecutionResult result) {
		if (ticket.refusal() != null || !result.getErrors().isEmpty() || result.getData() == null || !result.isDataPresent()
				|| (result.getExtensions() != null && !result.getExtensions().isEmpty()) || !trusted()) {
			return null;
		}
		List<Issued> recordings = ticket.recordings();
		Instant now = this.clock.instant();
		Instant until = expiry(now, recordings);
		if (!until.isAfter(now) || this.epoch.get() != ticket.epoch()) {
			return null;
		}
		Entry entry = new Entry(result, until, recordings, weight(key, recordings));
		// In first, indexed after: an older entry's removal can then never take the new one out of the index.
		this.entries.put(key, entry);
		for (Issued recording : recordings) {
			this.byCall.computeIfAbsent(call(recording.account(), recording.callSid()), (any) -> ConcurrentHashMap.newKeySet())
				.add(key);
		}
		if (this.epoch.get() != ticket.epoch() || this.entries.asMap().get(key) != entry) {
			// A call changed meanwhile (its eviction may have run before this answer was indexed), or the entry went.
			this.entries.asMap().remove(key, entry);
			return null;
		}
		return entry;
	}

	/** Drops every answer holding this call, for every tenant. */
	public void evict(String account, String callSid) {
		this.epoch.incrementAndGet();
		Set<Key> keys = this.byCall.remove(call(account, callSid));
		if (keys != null) {
			this.entries.invalidateAll(keys);
		}
	}

	/** How many answers were served from the cache since start. */
	public long hits() {
		return this.hits.sum();
	}

	/** The number of answers kept (after pending maintenance). */
	long size() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	/**
	 * Until when an answer holding these recordings may be served: never for a recording without a link
	 * (PROCESSING, NOT_AVAILABLE, EXPIRED: the recording cache and the readiness polls decide when those
	 * change, and a kept answer would outlive them).
	 */
	Instant expiry(Instant now, List<Issued> recordings) {
		Instant until = now.plus(this.maxTtl);
		for (Issued recording : recordings) {
			if (recording.urlExpiresAt() == null) {
				return now;
			}
			until = earliest(until, recording.urlExpiresAt().minus(this.safetyMargin));
			if (recording.playbackExpiresAt() != null) {
				until = earliest(until, recording.playbackExpiresAt().minus(this.safetyMargin));
			}
		}
		return until;
	}

	private void unindex(Key key, Entry entry) {
		for (Issued recording : entry.recordings()) {
			this.byCall.computeIfPresent(call(recording.account(), recording.callSid()), (call, keys) -> {
				Entry current = this.entries.asMap().get(key);
				if (current != null && current != entry && holds(current, recording)) {
					// Replaced by an answer that holds the same call: its index stays.
					return keys;
				}
				keys.remove(key);
				return keys.isEmpty() ? null : keys;
			});
		}
	}

	private static boolean holds(Entry entry, Issued call) {
		return entry.recordings().stream()
			.anyMatch((other) -> other.account().equals(call.account()) && other.callSid().equals(call.callSid()));
	}

	private static Instant earliest(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	private static int weight(Key key, List<Issued> recordings) {
		long weight = 512L + 2L * key.document().length() + 2L * String.valueOf(key.variables()).length() + 2048L * recordings.size();
		return (int) Math.min(Integer.MAX_VALUE, weight);
	}

	private static String call(String account, String callSid) {
		return account + '\u0000' + callSid;
	}

}
