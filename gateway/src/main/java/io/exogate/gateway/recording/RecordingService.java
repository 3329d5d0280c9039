package io.exogate.gateway.recording;

import io.exogate.model.port.RecordingLinks;
import io.exogate.model.port.Deadline;
import io.exogate.model.port.RecordingSource;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recordings with signed URLs, cached until shortly before they expire. A cached URL is used only
 * while it has more than the safety margin to live; otherwise it is fetched again. An available
 * recording is kept for {@code expiresAt - now - margin} (not at all when that is not positive),
 * a processing one for {@code processing-ttl}, a missing one for {@code not-available-ttl}.
 * Concurrent misses for one key share one upstream request; misses of a batch share one bulk request.
 */
public class RecordingService {

	private final RecordingSource source;

	private final RecordingCache cache;

	private final CacheProperties properties;

	private final Clock clock;

	private final Map<String, Mono<Recording>> inFlight = new ConcurrentHashMap<>();

	private volatile BiConsumer<String, String> refreshes = (account, callSid) -> { };

	public RecordingService(RecordingSource source, RecordingCache cache, CacheProperties properties, Clock clock) {
		this.source = source;
		this.cache = cache;
		this.properties = properties;
		this.clock = clock;
	}

	/** The cache key of one recording variant: scoped by tenant, account, call, format and channel. */
	public static String key(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		return "exogate:recording:" + tenant + ":" + account + ":" + callSid + ":" + format.name().toLowerCase(Locale.ROOT) + ":"
				+ channel.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Drops a cached recording whose link stopped working before its time (the media host answered 403),
	 * and tells the refresh listener, so that nothing built on the old link is served again.
	 */
	public Mono<Void> refresh(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		return this.cache.evict(List.of(key(tenant, account, callSid, format, channel)))
			.then(Mono.fromRunnable(() -> this.refreshes.accept(account, callSid)));
	}

	/** Who is told of each {@link #refresh}: the account and call SID. */
	public void onRefresh(BiConsumer<String, String> listener) {
		this.refreshes = listener;
	}

	/** The cache in use. */
	public RecordingCache cache() {
		return this.cache;
	}

	/** One call's recording. */
	public Mono<Recording> recording(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		return recordings(tenant, account, List.of(callSid), format, channel).mapNotNull((found) -> found.get(callSid));
	}

	/**
	 * One call's recording whose link has just been checked: when the media host answers 403 (the
	 * link expired or was revoked early), the cached entry is dropped and a fresh URL fetched once.
	 */
	public Mono<Recording> verified(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel,
			RecordingLinks links) {
		String key = key(tenant, account, callSid, format, channel);
		return recording(tenant, account, callSid, format, channel).flatMap((recording) -> {
			if (recording.status() != RecordingStatus.AVAILABLE) {
				return Mono.just(recording);
			}
			return links.check(recording.url()).flatMap((status) -> {
				if (status == RecordingStatus.AVAILABLE) {
					return Mono.just(recording);
				}
				return refresh(tenant, account, callSid, format, channel).then(recording(tenant, account, callSid, format, channel));
			});
		});
	}

	/**
	 * One call's recording as it stands now, for a watcher waiting for it to become available: a cached
	 * playable link is used, but a cached {@code PROCESSING} or {@code NOT_AVAILABLE} answer is not
	 * trusted and is asked again (sharing any request in flight for the key), and the answer cached.
	 */
	public Mono<Recording> current(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		return recordings(tenant, account, List.of(callSid), format, channel, false).mapNotNull((found) -> found.get(callSid));
	}

	/** Several calls' recordings by SID; SIDs Exotel does not know come back NOT_AVAILABLE. */
	public Mono<Map<String, Recording>> recordings(String tenant, String account, List<String> callSids, RecordingFormat format,
			RecordingChannel channel) {
		return recordings(tenant, account, callSids, format, channel, true);
	}

	private Mono<Map<String, Recording>> recordings(String tenant, String account, List<String> callSids, RecordingFormat format,
			RecordingChannel channel, boolean trustPending) {
		return Mono.defer(() -> {
			Map<String, String> keys = new LinkedHashMap<>();
			callSids.forEach((sid) -> keys.put(sid, key(tenant, account, sid, format, channel)));
			return this.cache.getAll(keys.values()).flatMap((cached) -> {
				Instant now = this.clock.instant();
				Map<String, Recording> found = new HashMap<>();
				List<String> missing = new ArrayList<>();
				keys.forEach((sid, key) -> {
					Recording recording = (cached.get(key) != null) ? RecordingJson.read(cached.get(key)) : null;
					if (recording != null && usable(recording, now)
							&& (trustPending || recording.status() == RecordingStatus.AVAILABLE)) {
						found.put(sid, recording);
					}
					else {
						missing.add(sid);
					}
				});
				if (missing.isEmpty()) {
					return Mono.just(found);
				}
				return fetch(tenant, account, missing, format, channel, keys).map((fetched) -> {
					found.putAll(fetched);
					return found;
				});
			});
		});
	}

	private Mono<Map<String, Recording>> fetch(String tenant, String account, List<String> sids, RecordingFormat format,
			RecordingChannel channel, Map<String, String> keys) {
		Map<String, Mono<Recording>> waiting = new LinkedHashMap<>();
		List<String> toFetch = new ArrayList<>();
		for (String sid : sids) {
			Mono<Recording> pending = this.inFlight.get(keys.get(sid));
			if (pending != null) {
				waiting.put(sid, pending);
			}
			else {
				toFetch.add(sid);
			}
		}
		if (!toFetch.isEmpty()) {
			Map<String, Mono<Recording>> mine = new ConcurrentHashMap<>();
			Mono<Map<String, Recording>> bulk = this.source.recordings(account, toFetch, format, channel)
				.map(this::checked)
				.collectMap(Recording::callSid)
				.flatMap((fetched) -> store(tenant, account, format, channel, fetched).thenReturn(fetched))
				.doFinally((signal) -> mine.forEach((key, one) -> this.inFlight.remove(key, one)))
				.contextWrite(Deadline::shared)
				.cache();
			for (String sid : toFetch) {
				Mono<Recording> one = bulk.mapNotNull((fetched) -> fetched.get(sid));
				Mono<Recording> raced = this.inFlight.putIfAbsent(keys.get(sid), one);
				if (raced == null) {
					mine.put(keys.get(sid), one);
				}
				waiting.put(sid, (raced != null) ? raced : one);
			}
		}
		return Flux.fromIterable(waiting.entrySet())
			.flatMap((entry) -> entry.getValue().map((recording) -> Map.entry(entry.getKey(), recording)))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	private Mono<Void> store(String tenant, String account, RecordingFormat format, RecordingChannel channel, Map<String, Recording> fetched) {
		Instant now = this.clock.instant();
		Map<String, String> values = new HashMap<>();
		Map<String, Duration> ttls = new HashMap<>();
		fetched.forEach((sid, recording) -> {
			Duration ttl = ttl(recording, now);
			if (ttl != null && ttl.compareTo(Duration.ofMillis(1)) >= 0) {
				String key = key(tenant, account, sid, format, channel);
				values.put(key, RecordingJson.write(recording));
				ttls.put(key, ttl);
			}
		});
		return this.cache.putAll(values, ttls);
	}

	/**
	 * Upstream's answer checked, not trusted: a link already expired, or expiring within the safety
	 * margin, is never handed out as playable, whatever status upstream gave it.
	 */
	private Recording checked(Recording recording) {
		if (recording.status() == RecordingStatus.AVAILABLE
				&& !recording.url().isUsableAt(this.clock.instant(), this.properties.safetyMargin())) {
			return Recording.unavailable(recording.callSid(), RecordingStatus.EXPIRED, recording.format(), recording.channel(),
					recording.rawFormat(), recording.rawChannel());
		}
		return recording;
	}

	/** How long to keep a recording; {@code null} or not positive means not at all. */
	Duration ttl(Recording recording, Instant now) {
		return switch (recording.status()) {
			case AVAILABLE -> recording.url().usableFor(now, this.properties.safetyMargin());
			case PROCESSING -> this.properties.processingTtl();
			case NOT_AVAILABLE -> this.properties.notAvailableTtl();
			case EXPIRED -> null;
		};
	}

	private boolean usable(Recording recording, Instant now) {
		return recording.status() != RecordingStatus.AVAILABLE || recording.url().isUsableAt(now, this.properties.safetyMargin());
	}

}
