package io.exogate.model.call;

import io.exogate.model.error.BadRequestException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated call search. Every filter is optional; an instance that exists can be sent upstream
 * as it is. Values that Exotel would reject, or that no API can answer, are refused here with a
 * {@link BadRequestException} saying what to change.
 *
 * @param window when the calls were created; {@code null} means Exotel's default, the last 31 days
 * @param statuses any of these statuses; empty means any
 * @param direction only this direction, or {@code null} for both
 * @param customerNumbers any of these customer numbers, however written ({@code +919800758655},
 * {@code 919800758655}, {@code 09800758655}, {@code 9800758655}); held without spaces or dashes; empty means any
 * @param exophones any of these ExoPhones, written as freely; empty means any
 * @param agentId only calls handled by this agent (answerable by v4 only), or {@code null}
 * @param minDuration at least this long, in whole seconds, or {@code null}
 * @param maxDuration at most this long, in whole seconds, or {@code null}
 * @param minPrice costing at least this much, or {@code null}
 * @param maxPrice costing at most this much, or {@code null}
 * @param hasRecording only calls with ({@code true}) or without ({@code false}) a recording, or {@code null}
 * @param sort the order of the results
 */
public record CallQuery(
		TimeWindow window,
		Set<CallStatus> statuses,
		CallDirection direction,
		List<String> customerNumbers,
		List<String> exophones,
		String agentId,
		Duration minDuration,
		Duration maxDuration,
		BigDecimal minPrice,
		BigDecimal maxPrice,
		Boolean hasRecording,
		CallSort sort) {

	/** The most numbers one filter may list; exogate fans them out five at a time. */
	public static final int MAX_NUMBERS = 50;

	/** Exotel's price filters are reported to six decimal places. */
	public static final int MAX_PRICE_SCALE = 6;

	/** No call lasts longer; a larger bound is refused rather than sent upstream. */
	public static final Duration MAX_DURATION = Duration.ofDays(1);

	/** No call costs more; a larger bound is refused rather than written out upstream. */
	public static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);

	/**
	 * E.164 ({@code +919876543210}) or national digits ({@code 09876543210}), groups of digits
	 * parted by single spaces or dashes ({@code +91 98765-43210}); 6 to 15 digits, counted apart.
	 * Nothing else: no operator ({@code ,} {@code ;} {@code :}) can reach a filter.
	 */
	private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9]+(?:[ -][0-9]+)*");

	private static final int MIN_DIGITS = 6;

	private static final int MAX_DIGITS = 15;

	private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

	public CallQuery {
		statuses = checkStatuses(statuses);
		if (direction == CallDirection.UNKNOWN) {
			throw new BadRequestException("direction must be INBOUND or OUTBOUND; leave it out to match both");
		}
		customerNumbers = checkNumbers(customerNumbers, "customerNumbers");
		exophones = checkNumbers(exophones, "exophones");
		if (agentId != null && !AGENT_ID.matcher(agentId).matches()) {
			throw new BadRequestException("agentId must be 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit");
		}
		checkSeconds(minDuration, "minDuration");
		checkSeconds(maxDuration, "maxDuration");
		if (minDuration != null && maxDuration != null && minDuration.compareTo(maxDuration) > 0) {
			throw new BadRequestException("minDuration (" + minDuration.getSeconds() + " s) is above maxDuration ("
					+ maxDuration.getSeconds() + " s)");
		}
		checkPrice(minPrice, "minPrice");
		checkPrice(maxPrice, "maxPrice");
		if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
			throw new BadRequestException("minPrice (" + minPrice.toPlainString() + ") is above maxPrice ("
					+ maxPrice.toPlainString() + ")");
		}
		if (sort == null) {
			sort = CallSort.NEWEST_FIRST;
		}
	}

	/** A query with no filter: the last 31 days, newest first. */
	public static CallQuery any() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** The same search in another order. */
	public CallQuery withSort(CallSort order) {
		return new CallQuery(this.window, this.statuses, this.direction, this.customerNumbers, this.exophones, this.agentId,
				this.minDuration, this.maxDuration, this.minPrice, this.maxPrice, this.hasRecording, order);
	}

	/** Whether the query needs v4 data to be answered (agent filter). */
	public boolean needsAgentData() {
		return this.agentId != null;
	}

	private static Set<CallStatus> checkStatuses(Set<CallStatus> statuses) {
		if (statuses == null || statuses.isEmpty()) {
			return Set.of();
		}
		for (CallStatus status : statuses) {
			if (status == null) {
				throw new BadRequestException("statuses must not contain null");
			}
			if (status == CallStatus.UNKNOWN) {
				throw new BadRequestException("UNKNOWN is not a status one can search for");
			}
			if (status.isOngoing()) {
				throw new BadRequestException("Call history does not hold ongoing calls (" + status
						+ "); ask for active calls instead");
			}
		}
		return Set.copyOf(EnumSet.copyOf(statuses));
	}

	private static List<String> checkNumbers(List<String> numbers, String name) {
		if (numbers == null || numbers.isEmpty()) {
			return List.of();
		}
		Set<String> distinct = new LinkedHashSet<>();
		for (String number : numbers) {
			String compact = (number != null && number.length() <= 2 * MAX_DIGITS && PHONE_NUMBER.matcher(number).matches())
					? number.replace(" ", "").replace("-", "") : null;
			int digits = (compact != null) ? compact.length() - (compact.startsWith("+") ? 1 : 0) : 0;
			if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
				throw new BadRequestException(name + " must hold phone numbers of 6 to 15 digits with an optional leading '+'"
						+ " (single spaces or dashes between digits allowed), got '" + printable(number) + "'");
			}
			distinct.add(compact);
		}
		if (distinct.size() > MAX_NUMBERS) {
			throw new BadRequestException(name + " may list at most " + MAX_NUMBERS + " numbers, got " + distinct.size());
		}
		return List.copyOf(distinct);
	}

	private static void checkSeconds(Duration duration, String name) {
		if (duration == null) {
			return;
		}
		if (duration.isNegative()) {
			throw new BadRequestException(name + " cannot be negative");
		}
		if (duration.getNano() != 0) {
			throw new BadRequestException(name + " must be whole seconds: Exotel filters durations by the second");
		}
		if (duration.compareTo(MAX_DURATION) > 0) {
			throw new BadRequestException(name + " may be at most " + MAX_DURATION.getSeconds() + " s (a day); no call lasts longer");
		}
	}

	private static void checkPrice(BigDecimal price, String name) {
		if (price == null) {
			return;
		}
		if (price.signum() < 0) {
			throw new BadRequestException(name + " cannot be negative");
		}
		if (price.compareTo(MAX_PRICE) > 0) {
			throw new BadRequestException(name + " may be at most " + MAX_PRICE.toPlainString());
		}
		if (price.stripTrailingZeros().scale() > MAX_PRICE_SCALE) {
			throw new BadRequestException(name + " may have at most " + MAX_PRICE_SCALE + " decimal places");
		}
	}

	private static String printable(String value) {
		if (value == null) {
			return "null";
		}
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

	/** Builds a {@link CallQuery}; validation happens in {@link #build()}. */
	public static final class Builder {

		private TimeWindow window;
		private final Set<CallStatus> statuses = new LinkedHashSet<>();
		private CallDirection direction;
		private final List<String> customerNumbers = new ArrayList<>();
		private final List<String> exophones = new ArrayList<>();
		private String agentId;
		private Duration minDuration;
		private Duration maxDuration;
		private BigDecimal minPrice;
		private BigDecimal maxPrice;
		private Boolean hasRecording;
		private CallSort sort = CallSort.NEWEST_FIRST;

		private Builder() {
		}

		public Builder window(TimeWindow window) {
			this.window = window;
			return this;
		}

		public Builder statuses(Collection<CallStatus> statuses) {
			this.statuses.addAll(statuses);
			return this;
		}

		public Builder status(CallStatus status) {
			this.statuses.add(status);
			return this;
		}

		public Builder direction(CallDirection direction) {
			this.direction = direction;
			return this;
		}

		public Builder customerNumbers(Collection<String> numbers) {
			this.customerNumbers.addAll(numbers);
			return this;
		}

		public Builder exophones(Collection<String> numbers) {
			this.exophones.addAll(numbers);
			return this;
		}

		public Builder agentId(String agentId) {
			this.agentId = agentId;
			return this;
		}

		public Builder duration(Duration min, Duration max) {
			this.minDuration = min;
			this.maxDuration = max;
			return this;
		}

		public Builder price(BigDecimal min, BigDecimal max) {
			this.minPrice = min;
			this.maxPrice = max;
			return this;
		}

		public Builder hasRecording(Boolean hasRecording) {
			this.hasRecording = hasRecording;
			return this;
		}

		public Builder sort(CallSort sort) {
			this.sort = sort;
			return this;
		}

		public CallQuery build() {
			return new CallQuery(this.window, this.statuses, this.direction, new ArrayList<>(this.customerNumbers),
					new ArrayList<>(this.exophones), this.agentId, this.minDuration, this.maxDuration,
					this.minPrice, this.maxPrice, this.hasRecording, this.sort);
		}

	}

}
