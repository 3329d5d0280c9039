package io.exogate.gateway.subscription;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One upstream poller per key however many watch it: the first watcher of a key starts its source,
 * every watcher gets what the source emits (the latest value at once when it joins late), and the
 * source is cancelled when the last watcher leaves or ends with it. A slow watcher is only ever
 * behind by one value: it gets the latest, never a queue.
 *
 * @param <K> what is watched
 * @param <T> what the source emits
 */
public final class Watches<K, T> {

	private final Function<K, Flux<T>> source;

	/** Guarded by itself. */
	private final Map<K, Watch<T>> active = new HashMap<>();

	public Watches(Function<K, Flux<T>> source) {
		this.source = source;
	}

	/** What the key's shared source emits, from its latest value on; nothing starts before subscription. */
	public Flux<T> watch(K key) {
		return Flux.defer(() -> {
			Watch<T> watch;
			boolean start = false;
			synchronized (this.active) {
				watch = this.active.get(key);
				if (watch == null) {
					watch = new Watch<>();
					this.active.put(key, watch);
					start = true;
				}
				watch.watchers++;
			}
			if (start) {
				Watch<T> started = watch;
				Sinks.Many<T> sink = watch.sink;
				watch.poller(this.source.apply(key)
					.doFinally((signal) -> ended(key, started))
					.subscribe((value) -> sink.tryEmitNext(value), sink::tryEmitError, sink::tryEmitComplete));
			}
			Watch<T> joined = watch;
			return watch.sink.asFlux().onBackpressureLatest().doFinally((signal) -> left(key, joined));
		});
	}

	/** How many sources run now. */
	public int pollers() {
		synchronized (this.active) {
			return this.active.size();
		}
	}

	/** How many watchers a key has now. */
	public int watchers(K key) {
		synchronized (this.active) {
			Watch<T> watch = this.active.get(key);
			return (watch != null) ? watch.watchers : 0;
		}
	}

	private void left(K key, Watch<T> watch) {
		boolean last;
		synchronized (this.active) {
			watch.watchers--;
			last = watch.watchers <= 0;
			if (last) {
				this.active.remove(key, watch);
			}
		}
		if (last) {
			watch.stop();
		}
	}

	private void ended(K key, Watch<T> watch) {
		synchronized (this.active) {
			this.active.remove(key, watch);
		}
	}

	/** One key's shared source and the watchers it has. */
	private static final class Watch<T> {

		final Sinks.Many<T> sink = Sinks.many().replay().latest();

		int watchers;

		private Disposable poller;

		private boolean stopped;

		synchronized void poller(Disposable poller) {
			if (this.stopped) {
				poller.dispose();
			}
			else {
				this.poller = poller;
			}
		}

		synchronized void stop() {
			this.stopped = true;
			if (this.poller != null) {
				this.poller.dispose();
			}
		}

	}

}
