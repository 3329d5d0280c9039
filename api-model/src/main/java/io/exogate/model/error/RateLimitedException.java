package io.exogate.model.error;

import java.time.Duration;
import java.util.Objects;

/** The account's request budget is spent; try again after {@link #retryAfter()}. */
public final class RateLimitedException extends ExogateException {

	private final Duration retryAfter;

	public RateLimitedException(String message, Duration retryAfter) {
		super(message, null);
		Objects.requireNonNull(retryAfter, "retryAfter");
		if (retryAfter.isNegative()) {
			throw new IllegalArgumentException("retryAfter cannot be negative");
		}
		this.retryAfter = retryAfter;
	}

	/** How long to wait before the next attempt can succeed. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/** {@link #retryAfter()} in whole seconds, rounded up, at least 1. */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.getSeconds() + ((this.retryAfter.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	@Override
	public String code() {
		return "RATE_LIMITED";
	}

}
