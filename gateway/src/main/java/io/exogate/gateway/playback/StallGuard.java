package io.exogate.gateway.playback;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * Fails a stream with {@link Stalled} when it has been asked for data and has sent none for a given
 * time. Time with nothing asked (a client reading slowly, the stream held back by backpressure)
 * never counts: only a source that owes items and stays silent is a stall.
 */
final class StallGuard<T> implements CoreSubscriber<T>, Subscription {

	private final CoreSubscriber<? super T> actual;

	private final long limitNanos;

	private final Scheduler scheduler;

	private final AtomicLong owed = new AtomicLong();

	private volatile long lastProgress;

	private Subscription upstream;

	private Disposable timer;

	private boolean done;

	private StallGuard(CoreSubscriber<? super T> actual, Duration limit, Scheduler scheduler) {
		this.actual = actual;
		this.limitNanos = limit.toNanos();
		this.scheduler = scheduler;
	}

	/** {@code source}, failing with {@link Stalled} once it owes items and sends none for {@code limit}, timed on {@code scheduler}. */
	static <T> Flux<T> guard(Flux<T> source, Duration limit, Scheduler scheduler) {
		if (limit.isNegative() || limit.isZero()) {
			throw new IllegalArgumentException("A stall limit must be positive");
		}
		return source.transform(Operators.<T, T>lift((scannable, subscriber) -> new StallGuard<>(subscriber, limit, scheduler)));
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.lastProgress = now();
			long period = Math.max(1, this.limitNanos / 4);
			this.timer = this.scheduler.schedulePeriodically(this::check, period, period, TimeUnit.NANOSECONDS);
			this.actual.onSubscribe(this);
		}
	}

	@Override
	public void onNext(T item) {
		synchronized (this) {
			if (this.done) {
				Operators.onDiscard(item, this.actual.currentContext());
				return;
			}
			this.lastProgress = now();
			this.owed.getAndUpdate((owed) -> (owed == Long.MAX_VALUE || owed == 0) ? owed : owed - 1);
			this.actual.onNext(item);
		}
	}

	@Override
	public void onError(Throwable error) {
		synchronized (this) {
			if (this.done) {
				Operators.onErrorDropped(error, this.actual.currentContext());
				return;
			}
			this.done = true;
		}
		stopTimer();
		this.actual.onError(error);
	}

	@Override
	public void onComplete() {
		synchronized (this) {
			if (this.done) {
				return;
			}
			this.done = true;
		}
		stopTimer();
		this.actual.onComplete();
	}

	@Override
	public void request(long n) {
		if (Operators.validate(n)) {
			long before = this.owed.getAndUpdate((owed) -> Operators.addCap(owed, n));
			if (before == 0) {
				// The clock starts when something is asked for, not while nothing was.
				this.lastProgress = now();
			}
			this.upstream.request(n);
		}
	}

	@Override
	public void cancel() {
		stopTimer();
		this.upstream.cancel();
	}

	private void check() {
		if (this.owed.get() == 0 || now() - this.lastProgress < this.limitNanos) {
			return;
		}
		synchronized (this) {
			if (this.done || this.owed.get() == 0 || now() - this.lastProgress < this.limitNanos) {
				return;
			}
			this.done = true;
		}
		stopTimer();
		this.upstream.cancel();
		this.actual.onError(new Stalled());
	}

	private void stopTimer() {
		Disposable timer = this.timer;
		if (timer != null) {
			timer.dispose();
		}
	}

	private long now() {
		return this.scheduler.now(TimeUnit.NANOSECONDS);
	}

	/** The source owed items and sent none within the limit. */
	static final class Stalled extends RuntimeException {

		Stalled() {
			super("The recording host stopped sending", null, false, false);
		}

	}

}
