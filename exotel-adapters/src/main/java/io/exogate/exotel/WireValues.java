package io.exogate.exotel;

import io.exogate.model.call.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads Exotel's wire values as the field notes describe them: IST times without a zone (v1),
 * {@code +05:30} offsets (v3), ISO-8601 UTC (v4), RFC-1123-like webhook times, the epoch and
 * year-one placeholders meaning "not known", strings or numbers, and empty strings meaning absent.
 */
public final class WireValues {

	/** India Standard Time, the zone of v1's unzoned times. */
	public static final ZoneId IST = ZoneId.of("Asia/Kolkata");

	private static final DateTimeFormatter V1 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final DateTimeFormatter V3 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

	private static final DateTimeFormatter WEBHOOK = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss", Locale.ENGLISH);

	private static final Instant PLACEHOLDER_BEFORE = Instant.parse("1970-01-02T00:00:00Z");

	private WireValues() {
	}

	/** {@code null} for {@code null}, empty or blank text, else the trimmed text. */
	public static String text(String value) {
		if (value == null) {
			return null;
		}
		String trimmed = value.trim();
		return trimmed.isEmpty() ? null : trimmed;
	}

	/**
	 * An instant from any of Exotel's time formats, or {@code null} when absent or a placeholder
	 * ({@code 1970-01-01 05:30:00}, {@code 1970-01-01 05:30:00+05:30}, {@code 0001-01-01T00:00:00Z}).
	 * @throws IllegalArgumentException for text in no known format
	 */
	public static Instant instant(String value) {
		String text = text(value);
		if (text == null) {
			return null;
		}
		Instant instant = parse(text);
		return (instant.isBefore(PLACEHOLDER_BEFORE)) ? null : instant;
	}

	private static Instant parse(String text) {
		try {
			if (text.length() == 19 && text.charAt(10) == ' ') {
				return LocalDateTime.parse(text, V1).atZone(IST).toInstant();
			}
			if (text.length() == 25 && text.charAt(10) == ' ') {
				return OffsetDateTime.parse(text, V3).toInstant();
			}
			if (text.contains("T")) {
				return OffsetDateTime.parse(text).toInstant();
			}
			if (text.contains(",")) {
				return LocalDateTime.parse(text, WEBHOOK).atZone(IST).toInstant();
			}
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("Unreadable Exotel time '" + text + "'");
		}
		throw new IllegalArgumentException("Unreadable Exotel time '" + text + "'");
	}

	/** Whole seconds from a string or number ({@code "17"}, {@code 17}, {@code "17.0"}); {@code null} when absent. */
	public static Duration seconds(String value) {
		String text = text(value);
		if (text == null) {
			return null;
		}
		try {
			BigDecimal seconds = new BigDecimal(text);
			if (seconds.signum() < 0) {
				return null;
			}
			return Duration.ofSeconds(seconds.longValue());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Unreadable Exotel duration '" + text + "'");
		}
	}

	/**
	 * A whole, non-negative number from a string or number ({@code "42"}, {@code 42}); {@code null}
	 * when absent.
	 * @throws IllegalArgumentException for anything else (negative, fractional, too large, not a number)
	 */
	public static Long count(String value) {
		String text = text(value);
		if (text == null) {
			return null;
		}
		try {
			BigDecimal count = new BigDecimal(text);
			if (count.signum() < 0) {
				throw new ArithmeticException();
			}
			return count.longValueExact();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			throw new IllegalArgumentException("Unreadable Exotel count '" + text + "'");
		}
	}

	/** A price from a string or number; {@code null} while absent or empty (the call is being rated). */
	public static Money price(String value, String currency) {
		String text = text(value);
		if (text == null) {
			return null;
		}
		try {
			BigDecimal amount = new BigDecimal(text);
			return (amount.signum() < 0) ? null : new Money(amount, currency);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Unreadable Exotel price '" + text + "'");
		}
	}

	/** A v1 filter time: IST, to the second. */
	public static String v1Time(Instant instant) {
		return V1.format(instant.atZone(IST));
	}

	/**
	 * The expiry a signed URL carries in its query ({@code expires}/{@code Expires} epoch seconds, or
	 * {@code X-Amz-Date} plus {@code X-Amz-Expires}), or {@code null}.
	 */
	public static Instant expiryInUrl(String url) {
		if (url == null) {
			return null;
		}
		int query = url.indexOf('?');
		if (query < 0) {
			return null;
		}
		String amzDate = null;
		Long amzExpires = null;
		for (String pair : url.substring(query + 1).split("&")) {
			int equals = pair.indexOf('=');
			if (equals < 0) {
				continue;
			}
			String name = pair.substring(0, equals);
			String value = pair.substring(equals + 1);
			try {
				if (name.equalsIgnoreCase("expires")) {
					return Instant.ofEpochSecond(Long.parseLong(value));
				}
				if (name.equals("X-Amz-Date")) {
					amzDate = value;
				}
				if (name.equals("X-Amz-Expires")) {
					amzExpires = Long.parseLong(value);
				}
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		if (amzDate != null && amzExpires != null) {
			try {
				return LocalDateTime.parse(amzDate, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
					.toInstant(java.time.ZoneOffset.UTC)
					.plusSeconds(amzExpires);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		return null;
	}

}
