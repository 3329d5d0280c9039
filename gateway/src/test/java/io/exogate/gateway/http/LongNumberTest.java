package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only number literals of more than 40 digits are refused: digits in strings, comments and names are text. */
class LongNumberTest {

	static final String DIGITS_41 = "1".repeat(41);

	static final String DIGITS_40 = "1".repeat(40);

	@Test
	void aNumberLiteralOfMoreThanFortyDigitsIsFound() {
		assertThat(RequestBodyCheck.hasLongNumber("{ calls(first: " + DIGITS_41 + ") { totalCount } }")).isTrue();
		assertThat(RequestBodyCheck.hasLongNumber("{ calls(first: " + DIGITS_40 + ") { totalCount } }")).isFalse();
		assertThat(RequestBodyCheck.hasLongNumber("{ f(x: 1." + DIGITS_41 + ") }")).isTrue();
		assertThat(RequestBodyCheck.hasLongNumber("{ f(x: 1e" + DIGITS_41 + ") }")).as("an exponent").isTrue();
		assertThat(RequestBodyCheck.hasLongNumber("{ f(x: 2.5E-" + DIGITS_41 + ") }")).as("a negative exponent").isTrue();
	}

	@Test
	void digitsInStringsCommentsAndNamesAreNotNumbers() {
		assertThat(RequestBodyCheck.hasLongNumber("{ call(sid: \"" + DIGITS_41 + "\") { sid } }")).isFalse();
		assertThat(RequestBodyCheck.hasLongNumber("{ call(sid: \"a\\\"" + DIGITS_41 + "\") { sid } }")).as("after an escaped quote").isFalse();
		assertThat(RequestBodyCheck.hasLongNumber("{ f(x: \"\"\"" + DIGITS_41 + "\n" + DIGITS_41 + "\"\"\") }")).isFalse();
		assertThat(RequestBodyCheck.hasLongNumber("# " + DIGITS_41 + "\n{ accounts { sid } }")).isFalse();
		assertThat(RequestBodyCheck.hasLongNumber("{ a" + DIGITS_41 + ": accounts { sid } }")).isFalse();
	}

	@Test
	void aNumberAfterAStringOrACommentIsStillFound() {
		assertThat(RequestBodyCheck.hasLongNumber("{ f(s: \"x\", n: " + DIGITS_41 + ") }")).isTrue();
		assertThat(RequestBodyCheck.hasLongNumber("# note\n{ f(n: " + DIGITS_41 + ") }")).isTrue();
		assertThat(RequestBodyCheck.hasLongNumber("{ f(s: \"\"\"x\"\"\", n: " + DIGITS_41 + ") }")).isTrue();
	}

}
