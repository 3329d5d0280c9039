package io.exogate.model.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExogateExceptionTest {

	@Test
	void everyErrorHasItsStableCode() {
		List<ExogateException> errors = List.of(new NotFoundException("x"), new UnauthorizedException("x"),
				new RateLimitedException("x", Duration.ofSeconds(3)), new BadRequestException("x"),
				new UpstreamUnavailableException("x", new RuntimeException("cause")));
		assertThat(errors).extracting(ExogateException::code)
			.containsExactly("NOT_FOUND", "UNAUTHENTICATED", "RATE_LIMITED", "BAD_REQUEST", "UPSTREAM_UNAVAILABLE");
	}

	@Test
	void retryAfterIsRoundedUpToWholeSecondsAndAtLeastOne() {
		assertThat(new RateLimitedException("x", Duration.ofSeconds(30)).retryAfterSeconds()).isEqualTo(30);
		assertThat(new RateLimitedException("x", Duration.ofMillis(30_001)).retryAfterSeconds()).isEqualTo(31);
		assertThat(new RateLimitedException("x", Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
		assertThat(new RateLimitedException("x", Duration.ofMillis(1500)).retryAfter()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void retryAfterIsNeverNegative() {
		assertThatThrownBy(() -> new RateLimitedException("x", Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
