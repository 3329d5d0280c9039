package io.exogate.gateway.logging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Lets one line per key through each interval, so that a sustained condition logs once, not per request. */
public final class LogLimiter {

	private final long intervalNanos;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	public LogLimiter(Duration interval) {
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Whether a line for {@code key} may be logged now; when it may, how many were held back since
	 * the last one is returned (zero or more), else {@code -1}.
	 */
	public long tryAcquire(String key) {
		Window window = this.windows.computeIfAbsent(key, (ignored) -> new Window());
		long now = System.nanoTime();
		long last = window.last.get();
		if (now - last >= this.intervalNanos && window.last.compareAndSet(last, now)) {
			return window.suppressed.getAndSet(0);
		}
		window.suppressed.incrementAndGet();
		return -1;
	}

	private final class Window {

		private final AtomicLong last = new AtomicLong(System.nanoTime() - LogLimiter.this.intervalNanos);

		private final AtomicLong suppressed = new AtomicLong();

	}

}
