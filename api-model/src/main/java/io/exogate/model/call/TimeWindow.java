package io.exogate.model.call;

import io.exogate.model.error.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A half-open time window {@code [from, to)} over when calls were created.
 *
 * @param from the first instant included
 * @param to the first instant excluded
 */
public record TimeWindow(Instant from, Instant to) {

	/** Exotel keeps call history for six calendar months, counted in India Standard Time. */
	public static final int RETENTION_MONTHS = 6;

	static final ZoneId EXOTEL_ZONE = ZoneId.of("Asia/Kolkata");

	public TimeWindow {
		if (from == null || to == null) {
			throw new BadRequestException("A time window needs both a start and an end");
		}
		if (!from.isBefore(to)) {
			throw new BadRequestException("A time window must start before it ends, got " + from + " .. " + to);
		}
	}

	/** The window of the given length that ends at {@code to}. */
	public static TimeWindow endingAt(Instant to, Duration length) {
		return new TimeWindow(to.minus(length), to);
	}

	/** The window's length. */
	public Duration length() {
		return Duration.between(this.from, this.to);
	}

	/** Whether {@code instant} lies inside the window. */
	public boolean contains(Instant instant) {
		return !instant.isBefore(this.from) && instant.isBefore(this.to);
	}

	/** The earliest instant Exotel still has call history for at {@code now}. */
	public static Instant retentionStart(Instant now) {
		return now.atZone(EXOTEL_ZONE).minusMonths(RETENTION_MONTHS).toInstant();
	}

	/**
	 * Rejects a window that reaches further back than Exotel keeps call history.
	 * @throws BadRequestException naming the earliest start that can be honoured
	 */
	public TimeWindow requireWithinRetention(Instant now) {
		Instant earliest = retentionStart(now);
		if (this.from.isBefore(earliest)) {
			throw new BadRequestException("Exotel keeps call history for " + RETENTION_MONTHS
					+ " months: the window must not start before " + earliest + ", got " + this.from);
		}
		return this;
	}

}
