package io.exogate.gateway.call;

import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The GraphQL {@code CallFilter} input. */
public record CallFilterInput(Instant from, Instant to, List<CallStatus> statuses, CallDirection direction,
		List<String> customerNumbers, List<String> exophones, String agentId, Integer minDurationSeconds,
		Integer maxDurationSeconds, String minPrice, String maxPrice, Boolean hasRecording, CallSort sort) {

	/** Plain notation only, bounded in length: an exponent such as {@code 1e999999999} never reaches a number. */
	private static final java.util.regex.Pattern PLAIN_DECIMAL = java.util.regex.Pattern.compile("[0-9]{1,7}(\\.[0-9]{1,6})?");

	/** No filter: the last 31 days, newest first. */
	public static final CallFilterInput NONE = new CallFilterInput(null, null, null, null, null, null, null, null, null, null,
			null, null, null);

	/** Exotel's default window when only one end is given. */
	static final Duration DEFAULT_WINDOW = Duration.ofDays(31);

	/** The validated query; {@link BadRequestException} says what to change. */
	public CallQuery toQuery(Instant now) {
		TimeWindow window = null;
		if (this.from != null || this.to != null) {
			Instant end = (this.to != null) ? this.to : now;
			Instant start = (this.from != null) ? this.from : end.minus(DEFAULT_WINDOW);
			window = new TimeWindow(start, end);
		}
		return CallQuery.builder()
			.window(window)
			.statuses((this.statuses != null) ? this.statuses : List.of())
			.direction(this.direction)
			.customerNumbers((this.customerNumbers != null) ? this.customerNumbers : List.of())
			.exophones((this.exophones != null) ? this.exophones : List.of())
			.agentId(this.agentId)
			.duration(seconds(this.minDurationSeconds, "minDurationSeconds"), seconds(this.maxDurationSeconds, "maxDurationSeconds"))
			.price(decimal(this.minPrice, "minPrice"), decimal(this.maxPrice, "maxPrice"))
			.hasRecording(this.hasRecording)
			.sort((this.sort != null) ? this.sort : CallSort.NEWEST_FIRST)
			.build();
	}

	private static Duration seconds(Integer value, String name) {
		if (value == null) {
			return null;
		}
		if (value < 0) {
			throw new BadRequestException(name + " cannot be negative");
		}
		return Duration.ofSeconds(value);
	}

	private static BigDecimal decimal(String value, String name) {
		if (value == null) {
			return null;
		}
		String trimmed = value.trim();
		if (!PLAIN_DECIMAL.matcher(trimmed).matches()) {
			throw new BadRequestException(name + " must be a plain decimal number of at most 7 digits before the point and "
					+ CallQuery.MAX_PRICE_SCALE + " after, such as \"0.5\" (no exponent)");
		}
		return new BigDecimal(trimmed);
	}

}
