package io.exogate.sandbox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The three ways Exotel writes a time, and the epoch placeholder it prints for "not yet". */
final class ExotelTime {

	static final ZoneId IST = ZoneId.of("Asia/Kolkata");

	/** v1: IST wall-clock time without a zone. */
	static final DateTimeFormatter V1 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(IST);

	/** v3: IST with its offset. */
	static final DateTimeFormatter V3 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx").withZone(IST);

	/** v4: UTC with milliseconds. */
	static final DateTimeFormatter V4 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

	/** The epoch printed in IST: v1's and v3's placeholder for an end time not known yet. */
	static final String V1_PLACEHOLDER = "1970-01-01 05:30:00";

	static final String V3_PLACEHOLDER = "1970-01-01 05:30:00+05:30";

	private ExotelTime() {
	}

	static String v1(Instant instant) {
		return V1.format(instant);
	}

	static String v3(Instant instant) {
		return V3.format(instant);
	}

	static String v4(Instant instant) {
		return V4.format(instant.truncatedTo(ChronoUnit.MILLIS));
	}

	/** Parses a v1 filter time ({@code yyyy-MM-dd HH:mm:ss}, IST). */
	static Instant parseV1(String text) {
		return java.time.LocalDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")).atZone(IST).toInstant();
	}

}
