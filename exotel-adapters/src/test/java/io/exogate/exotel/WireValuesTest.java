package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every time and value form FIELD-NOTES.md describes. */
class WireValuesTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"2016-11-29 15:58:45|2016-11-29T10:28:45Z",
			"2022-11-03 22:54:40+05:30|2022-11-03T17:24:40Z",
			"2024-06-15T10:30:00.000Z|2024-06-15T10:30:00Z",
			"2024-06-15T10:30:00Z|2024-06-15T10:30:00Z",
			"Wed, 23 Feb 2022 12:31:59|2022-02-23T07:01:59Z" })
	void timesInEveryFormatBecomeUtcInstants(String wire, String expected) {
		assertThat(WireValues.instant(wire)).isEqualTo(Instant.parse(expected));
	}

	@ParameterizedTest
	@ValueSource(strings = { "1970-01-01 05:30:00", "1970-01-01 05:30:00+05:30", "0001-01-01T00:00:00Z", "", "  " })
	void placeholdersAndEmptyTimesAreAbsent(String wire) {
		assertThat(WireValues.instant(wire)).isNull();
	}

	@Test
	void nullTimeIsAbsentAndGarbageIsRefused() {
		assertThat(WireValues.instant(null)).isNull();
		assertThatThrownBy(() -> WireValues.instant("yesterday")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("yesterday");
	}

	@Test
	void v1FilterTimesAreWrittenInIst() {
		assertThat(WireValues.v1Time(Instant.parse("2019-12-03T18:30:00Z"))).isEqualTo("2019-12-04 00:00:00");
	}

	@ParameterizedTest
	@CsvSource({ "17,17", "'17',17", "17.0,17", "0,0" })
	void durationsAreStringsOrNumbers(String wire, long seconds) {
		assertThat(WireValues.seconds(wire)).isEqualTo(Duration.ofSeconds(seconds));
	}

	@Test
	void emptyDurationsAndPricesAreAbsent() {
		assertThat(WireValues.seconds("")).isNull();
		assertThat(WireValues.seconds(null)).isNull();
		assertThat(WireValues.price("", "INR")).isNull();
		assertThat(WireValues.price(null, null)).isNull();
		assertThat(WireValues.text("")).isNull();
		assertThat(WireValues.text(" x ")).isEqualTo("x");
	}

	@Test
	void pricesKeepTheirScale() {
		assertThat(WireValues.price("1.500", "INR").amount()).isEqualTo(new BigDecimal("1.500"));
		assertThat(WireValues.price("1.5", null).currency()).isNull();
		assertThatThrownBy(() -> WireValues.price("free", null)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aSignedUrlStatesItsOwnExpiry() {
		assertThat(WireValues.expiryInUrl("https://h/a.mp3?channel=single&expires=1795483563&signature=ab"))
			.isEqualTo(Instant.ofEpochSecond(1795483563));
		assertThat(WireValues.expiryInUrl("https://s3.amazonaws.com/b/a.mp3?X-Amz-Date=20261120T100000Z&X-Amz-Expires=300&X-Amz-Signature=x"))
			.isEqualTo(Instant.parse("2026-11-20T10:05:00Z"));
		assertThat(WireValues.expiryInUrl("https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/sid/call.mp3")).isNull();
		assertThat(WireValues.expiryInUrl("https://h/a.mp3?expires=soon")).isNull();
	}

	@Test
	void countsAreWholeNonNegativeNumbers() {
		assertThat(WireValues.count("42")).isEqualTo(42L);
		assertThat(WireValues.count(" 42.0 ")).isEqualTo(42L);
		assertThat(WireValues.count("0")).isZero();
		assertThat(WireValues.count("")).isNull();
		assertThat(WireValues.count(null)).isNull();
		for (String unreadable : new String[] { "-1", "12.5", "many", "99999999999999999999", "1e-3", "NaN" }) {
			assertThatThrownBy(() -> WireValues.count(unreadable)).as(unreadable).isInstanceOf(IllegalArgumentException.class);
		}
	}

}
