package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientTextTest {

	@Test
	void shortPrintableTextIsKept() {
		assertThat(ClientText.excerpt("calls(first: 5) — ok ✓", 40)).isEqualTo("calls(first: 5) — ok ✓");
	}

	@Test
	void controlAndInvisibleCharactersBecomeSpaces() {
		assertThat(ClientText.excerpt("a\u0000b\nc\u001b[31md\u202Ee\u2028f", 40)).isEqualTo("a b c [31md e f");
	}

	@Test
	void longTextIsCutWithAnEllipsis() {
		assertThat(ClientText.excerpt("x".repeat(1000), 10)).isEqualTo("xxxxxxxxxx…");
		assertThat(ClientText.excerpt("🏃".repeat(5), 3)).isEqualTo("🏃🏃🏃…");
	}

	@Test
	void nothingGivesNothing() {
		assertThat(ClientText.excerpt(null, 10)).isEmpty();
	}

}
