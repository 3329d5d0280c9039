package io.exogate.gateway.playback;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * The playback streams open: at most {@code perToken} for one playback link and {@code total} in
 * all. A stream holds a {@link Slot} from its admission until its body completes, fails or is
 * cancelled (the client went away), or its exchange ends, whichever comes first ({@link SlotRelease}).
 */
public final class PlaybackStreams {

	private final int perToken;

	private final int total;

	/** Tokens counted before past minutes' counts are dropped. */
	private static final int MAX_COUNTED = 10_000;

	private final AtomicInteger open = new AtomicInteger();

	private final ConcurrentHashMap<String, Integer> byToken = new ConcurrentHashMap<>();

	/** Requests one token may make in a minute (a player seeking makes a few per seek). */
	private final int requestsPerMinute;

	private final Clock clock;

	/** Per token: the minute a count is for, and the count. Entries of past minutes are dropped as the map grows. */
	private final ConcurrentHashMap<String, long[]> requests = new ConcurrentHashMap<>();

	/** The minute whose past counts were last dropped. */
	private final java.util.concurrent.atomic.AtomicLong prunedMinute = new java.util.concurrent.atomic.AtomicLong(-1);

	public PlaybackStreams(int perToken, int total) {
		this(perToken, total, Integer.MAX_VALUE, Clock.systemUTC());
	}

	public PlaybackStreams(int perToken, int total, int requestsPerMinute, Clock clock) {
		if (perToken < 1 || total < 1 || requestsPerMinute < 1) {
			throw new IllegalArgumentException("Playback stream caps must be at least 1");
		}
		this.perToken = perToken;
		this.total = total;
		this.requestsPerMinute = requestsPerMinute;
		this.clock = clock;
	}

	/** Seconds until the request counts start again (at least 1). */
	long secondsToNextMinute() {
		return Math.max(1, (60_000 - this.clock.millis() % 60_000 + 999) / 1000);
	}

	/** The requests one token may make in a minute. */
	public int requestsPerMinute() {
		return this.requestsPerMinute;
	}

	/**
	 * Counts one request of this token (HEAD, GET or refused, all alike): {@code false} once the token has
	 * made {@link #requestsPerMinute()} in the current minute, so that a link's holder cannot make the
	 * media host answer at will.
	 */
	boolean request(String token) {
		long minute = this.clock.millis() / 60_000;
		long pruned = this.prunedMinute.get();
		if (pruned != minute && this.requests.size() > MAX_COUNTED && this.prunedMinute.compareAndSet(pruned, minute)) {
			// Once a minute at most: past minutes' counts go, this minute's stay.
			this.requests.values().removeIf((count) -> count[0] != minute);
		}
		boolean[] allowed = { false };
		this.requests.compute(key(token), (k, count) -> {
			long[] now = (count == null || count[0] != minute) ? new long[] { minute, 0 } : count;
			if (now[1] < this.requestsPerMinute) {
				now[1]++;
				allowed[0] = true;
			}
			return now;
		});
		return allowed[0];
	}

	/** The cap per playback link. */
	public int perToken() {
		return this.perToken;
	}

	/** The cap over the whole gateway. */
	public int total() {
		return this.total;
	}

	/** Streams open now. */
	public int open() {
		return this.open.get();
	}

	/** Streams open now for this token. */
	public int open(String token) {
		return this.byToken.getOrDefault(key(token), 0);
	}

	/** A slot for one more stream of this token, or the cap that refuses it. */
	Admission admit(String token) {
		if (!request(token)) {
			return new Admission(null, Refusal.RATE);
		}
		String key = key(token);
		boolean[] admitted = { false };
		this.byToken.compute(key, (k, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.perToken) {
				return count;
			}
			admitted[0] = true;
			return current + 1;
		});
		if (!admitted[0]) {
			return new Admission(null, Refusal.TOKEN);
		}
		if (this.open.incrementAndGet() > this.total) {
			this.open.decrementAndGet();
			releaseToken(key);
			return new Admission(null, Refusal.GATEWAY);
		}
		return new Admission(new Slot(key), null);
	}

	private void releaseToken(String key) {
		this.byToken.computeIfPresent(key, (k, count) -> (count <= 1) ? null : count - 1);
	}

	/** The MAC half of a token: unique per token, and what the count is kept under. */
	private static String key(String token) {
		int dot = token.indexOf('.');
		return (dot >= 0) ? token.substring(dot + 1) : token;
	}

	/** Which cap refused a stream. */
	enum Refusal {

		/** This link has {@code max-streams-per-token} streams open. */
		TOKEN,

		/** The gateway has {@code max-streams} streams open. */
		GATEWAY,

		/** This link has made {@code max-requests-per-token} requests this minute. */
		RATE

	}

	/** A slot, or the refusal when there is none. */
	record Admission(Slot slot, Refusal refusal) {
	}

	/**
	 * One admitted stream, with the upstream body it holds until someone reads it; released once,
	 * however many times {@link #release()} is called, and a body still unread then is cancelled,
	 * which gives its connection back.
	 */
	final class Slot {

		private final String key;

		private final AtomicBoolean released = new AtomicBoolean();

		private final AtomicReference<Flux<?>> unread = new AtomicReference<>();

		private Slot(String key) {
			this.key = key;
		}

		/** {@code body}, held by this slot: the first subscriber reads it; if none has when the slot is released, it is cancelled. */
		<T> Flux<T> hold(Flux<T> body) {
			this.unread.set(body);
			if (this.released.get()) {
				cancelUnread();
			}
			return Flux.defer(() -> (this.unread.getAndSet(null) != null) ? body : Flux.empty());
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				releaseToken(this.key);
				PlaybackStreams.this.open.decrementAndGet();
			}
			cancelUnread();
		}

		private void cancelUnread() {
			Flux<?> body = this.unread.getAndSet(null);
			if (body != null) {
				body.subscribe(new Cancelling());
			}
		}

	}

	/** Cancels what it subscribes to at once, asking for nothing. */
	private static final class Cancelling extends BaseSubscriber<Object> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.cancel();
		}

		@Override
		protected void hookOnError(Throwable error) {
			// Nothing was asked for: an error here is the body refusing a late subscriber, which is all that was wanted.
		}

	}

}
