package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.error.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

	@ParameterizedTest
	@ValueSource(ints = { 1, 50, 100 })
	void sizesFromOneToAHundredAreAccepted(int size) {
		assertThat(PageRequest.first(size).size()).isEqualTo(size);
	}

	@ParameterizedTest
	@ValueSource(ints = { -1, 0, 101, 1000 })
	void otherSizesAreRejected(int size) {
		assertThatThrownBy(() -> PageRequest.first(size)).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("1 to 100");
	}

	@Test
	void afterAndBeforeTogetherAreRejected() {
		assertThatThrownBy(() -> new PageRequest(10, "a", "b")).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("not both");
	}

	@Test
	void blankOrOversizedCursorsAreRejected() {
		assertThatThrownBy(() -> PageRequest.after(10, " ")).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("'after'");
		assertThatThrownBy(() -> PageRequest.before(10, "x".repeat(2049))).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("'before'");
	}

	@Test
	void cursorsAreKept() {
		assertThat(PageRequest.after(10, "abc").after()).isEqualTo("abc");
		assertThat(PageRequest.before(10, "abc").before()).isEqualTo("abc");
	}

	@Test
	void aPageKnowsWhetherMoreFollowOrPrecede() {
		CallPage last = new CallPage(null, null, "prev", 3L);
		assertThat(last.calls()).isEmpty();
		assertThat(last.hasNext()).isFalse();
		assertThat(last.hasPrevious()).isTrue();
		assertThatThrownBy(() -> new CallPage(null, null, null, -1L)).isInstanceOf(IllegalArgumentException.class);
	}

}
