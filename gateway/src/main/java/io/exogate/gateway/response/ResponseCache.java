package io.exogate.gateway.response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import graphql.ExecutionResult;
import io.exogate.gateway.response.ResponseTicket.Issued;
import io.exogate.model.recording.RecordingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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

	private final Duration processingTtl;

	private final Duration notAvailableTtl;

	private final Duration maxTtl;

	private final Cache<Key, Entry> entries;

	/** The keys holding each call ({@code account NUL callSid}), for eviction by callback. */
	private final Map<String, Set<Key>> byCall = new ConcurrentHashMap<>();

	private final LongAdder hits = new LongAdder();

	/** Bumped before every eviction: an answer computed across one is not kept. */
	private final AtomicLong epoch = new AtomicLong();

	public ResponseCache(Clock clock, Duration safetyMargin, Duration processingTtl, Duration notAvailableTtl,
			ResponseCacheProperties properties) {
		this.clock = clock;
		this.safetyMargin = safetyMargin;
		this.processingTtl = processingTtl;
		this.notAvailableTtl = notAvailableTtl;
		this.maxTtl = properties.maxTtl();
		this.entries = Caffeine.newBuilder()
			.maximumWeight(properties.maxSize().toBytes())
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

	/** The answer kept for this key while it is fresh, else {@code null}. */
	Entry lookup(Key key) {
		Entry entry = this.entries.getIfPresent(key);
		if (entry == null) {
			return null;
		}
		if (!this.clock.instant().isBefore(entry.expiresAt())) {
			this.entries.asMap().remove(key, entry);
			return null;
		}
		this.hits.increment();
		return entry;
	}

	/**
	 * Keeps an answer if its ticket allows it, it has data and no error, and no call changed while it
	 * was computed. Returns the entry kept, or {@code null}.
	 */
	Entry offer(Key key, ResponseTicket ticket, ExecutionResult result) {
		if (ticket.refusal() != null || !result.getErrors().isEmpty() || result.getData() == null || !result.isDataPresent()
				|| (result.getExtensions() != null && !result.getExtensions().isEmpty())) {
			return null;
		}
		List<Issued> recordings = ticket.recordings();
		Instant now = this.clock.instant();
		Instant until = expiry(now, recordings);
		if (!until.isAfter(now) || this.epoch.get() != ticket.epoch()) {
			return null;
		}
		Entry entry = new Entry(result, until, recordings, weight(key, recordings));
		for (Issued recording : recordings) {
			this.byCall.computeIfAbsent(call(recording.account(), recording.callSid()), (any) -> ConcurrentHashMap.newKeySet())
				.add(key);
		}
		this.entries.put(key, entry);
		if (this.epoch.get() != ticket.epoch()) {
			// A call changed meanwhile: its eviction may have run before this answer was indexed.
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

	/** Until when an answer holding these recordings may be served. */
	Instant expiry(Instant now, List<Issued> recordings) {
		Instant until = now.plus(this.maxTtl);
		for (Issued recording : recordings) {
			if (recording.urlExpiresAt() != null) {
				until = earliest(until, recording.urlExpiresAt().minus(this.safetyMargin));
			}
			if (recording.playbackExpiresAt() != null) {
				until = earliest(until, recording.playbackExpiresAt().minus(this.safetyMargin));
			}
			if (recording.urlExpiresAt() == null) {
				until = earliest(until, now.plus((recording.status() == RecordingStatus.PROCESSING)
						? this.processingTtl : this.notAvailableTtl));
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
		long weight = 256L + 2L * key.document().length() + 2L * String.valueOf(key.variables()).length() + 768L * recordings.size();
		return (int) Math.min(Integer.MAX_VALUE, weight);
	}

	private static String call(String account, String callSid) {
		return account + '\u0000' + callSid;
	}

}
