package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.error.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

	private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

	@Test
	void aWindowNeedsBothEnds() {
		assertThatThrownBy(() -> new TimeWindow(null, NOW)).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("both a start and an end");
		assertThatThrownBy(() -> new TimeWindow(NOW, null)).isInstanceOf(BadRequestException.class);
	}

	@Test
	void aWindowMustStartBeforeItEnds() {
		assertThatThrownBy(() -> new TimeWindow(NOW, NOW)).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("must start before it ends");
		assertThatThrownBy(() -> new TimeWindow(NOW.plusSeconds(1), NOW)).isInstanceOf(BadRequestException.class);
	}

	@Test
	void aWindowIsHalfOpen() {
		TimeWindow window = TimeWindow.endingAt(NOW, Duration.ofHours(1));
		assertThat(window.length()).isEqualTo(Duration.ofHours(1));
		assertThat(window.contains(window.from())).isTrue();
		assertThat(window.contains(NOW.minusNanos(1))).isTrue();
		assertThat(window.contains(NOW)).isFalse();
		assertThat(window.contains(window.from().minusNanos(1))).isFalse();
	}

	@Test
	void retentionIsSixCalendarMonthsInIndianTime() {
		// 2026-11-23T06:30+05:30 minus six months is 2026-05-23T06:30+05:30
		assertThat(TimeWindow.retentionStart(NOW)).isEqualTo(Instant.parse("2026-05-23T01:00:00Z"));
	}

	@Test
	void aWindowWithinRetentionIsAccepted() {
		TimeWindow window = new TimeWindow(Instant.parse("2026-05-23T01:00:00Z"), NOW);
		assertThat(window.requireWithinRetention(NOW)).isSameAs(window);
	}

	@Test
	void aWindowReachingBeyondRetentionIsRejectedWithTheEarliestStart() {
		TimeWindow window = new TimeWindow(Instant.parse("2026-05-23T00:59:59Z"), NOW);
		assertThatThrownBy(() -> window.requireWithinRetention(NOW)).isInstanceOf(BadRequestException.class)
			.hasMessageContaining("6 months")
			.hasMessageContaining("2026-05-23T01:00:00Z");
	}

}
