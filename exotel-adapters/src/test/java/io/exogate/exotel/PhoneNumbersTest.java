package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Numbers however written become one E.164 number; what is no number stays as it was. */
class PhoneNumbersTest {

	private final PhoneNumbers india = new PhoneNumbers("IN");

	@ParameterizedTest
	@ValueSource(strings = { "+919800758655", "919800758655", "09800758655", "9800758655", "+91 98007-58655",
			"098007 58655", " 09800758655 ", "0091 98007 58655" })
	void anIndianNumberIsE164HoweverItIsWritten(String written) {
		assertThat(this.india.e164(written)).isEqualTo("+919800758655");
		assertThat(this.india.toModel(written)).isEqualTo("+919800758655");
	}

	@Test
	void landlinesAndNumbersOfOtherCountriesToo() {
		assertThat(this.india.toModel("01414941199")).isEqualTo("+911414941199");
		assertThat(this.india.toModel("+911414941199")).isEqualTo("+911414941199");
		assertThat(this.india.toModel("+6591234567")).isEqualTo("+6591234567");
		assertThat(this.india.toModel("+14155552671")).isEqualTo("+14155552671");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0XXXXX30240", "0XXXXXX4890", "a1b2c3d4-e5f6-4a5b-8c7d-0123456789ab", "1800-FLOWERS", "1234",
			"123456", "+91 80", "ticket_12345", "" })
	void whatCannotBeReadAsANumberIsKeptAsSent(String sent) {
		assertThat(this.india.e164(sent)).isNull();
		assertThat(this.india.toModel(sent)).isSameAs(sent);
	}

	@Test
	void nullStaysNull() {
		assertThat(this.india.e164(null)).isNull();
		assertThat(this.india.toModel(null)).isNull();
	}

	@Test
	void theDefaultRegionDecidesNumbersWithoutACountryCode() {
		PhoneNumbers singapore = new PhoneNumbers("SG");
		assertThat(singapore.defaultRegion()).isEqualTo("SG");
		assertThat(singapore.toModel("9123 4567")).isEqualTo("+6591234567");
		assertThat(singapore.toModel("+919800758655")).as("a country code wins").isEqualTo("+919800758655");
	}

	@Test
	void queryNumbersAreSentInE164OnceEach() {
		assertThat(this.india.forV1Filter(List.of("+919800758655", "919800758655", "09800758655", "9800758655",
				"+91 98007 58656", "123456", "12-34-56")))
			.containsExactly("+919800758655", "+919800758656", "123456");
		assertThat(this.india.forMatching(List.of("09800758655", "9800758655", "01414941199")))
			.containsExactly("+919800758655", "+911414941199");
	}

	@ParameterizedTest
	@ValueSource(strings = { "XX", "ZZ", "IND", "in", "", "1N" })
	void anUnknownRegionIsRefused(String region) {
		assertThat(PhoneNumbers.isRegion(region)).isFalse();
		assertThatThrownBy(() -> new PhoneNumbers(region)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("region");
	}

}
