package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** A token's exp, nbf and iat against a fixed clock, with 60 s of leeway either way. */
class TokenLifetimeTest {

	static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

	final TokenLifetime lifetime = new TokenLifetime(Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void aTokenWithinItsLifetimeIsValid() {
		assertThat(validate((token) -> token.expiresAt(NOW.plusSeconds(300)).notBefore(NOW).issuedAt(NOW)).hasErrors()).isFalse();
		assertThat(validate((token) -> token.expiresAt(NOW.plusSeconds(300))).hasErrors()).isFalse();
	}

	@Test
	void aTokenWithoutExpiryIsInvalidButNotExpired() {
		OAuth2TokenValidatorResult result = validate((token) -> token.issuedAt(NOW));
		assertThat(result.getErrors()).singleElement()
			.satisfies((error) -> assertThat(error.getDescription()).isEqualTo("The token has no expiry (exp)"));
		assertThat(TokenLifetime.expired(new JwtValidationException("invalid", result.getErrors()))).isFalse();
	}

	@Test
	void aTokenIsExpiredOnce60sPastItsExpiry() {
		assertThat(validate((token) -> token.expiresAt(NOW.minusSeconds(60))).hasErrors()).isFalse();
		OAuth2TokenValidatorResult expired = validate((token) -> token.expiresAt(NOW.minusSeconds(61)));
		assertThat(expired.hasErrors()).isTrue();
		JwtValidationException failure = new JwtValidationException("expired", expired.getErrors());
		assertThat(TokenLifetime.expired(failure)).isTrue();
		// As Spring Security's resource server wraps it.
		assertThat(TokenLifetime.expired(new InvalidBearerTokenException("expired", failure))).isTrue();
		assertThat(TokenLifetime.expired(new IllegalStateException("expired"))).isFalse();
	}

	@Test
	void aTokenStartingOrIssuedMoreThan60sAheadIsInvalid() {
		assertThat(validate((token) -> token.expiresAt(NOW.plusSeconds(600)).notBefore(NOW.plusSeconds(60))).hasErrors()).isFalse();
		assertThat(validate((token) -> token.expiresAt(NOW.plusSeconds(600)).issuedAt(NOW.plusSeconds(60))).hasErrors()).isFalse();
		OAuth2TokenValidatorResult early = validate((token) -> token.expiresAt(NOW.plusSeconds(600)).notBefore(NOW.plusSeconds(61)));
		OAuth2TokenValidatorResult issuedLater = validate((token) -> token.expiresAt(NOW.plusSeconds(600)).issuedAt(NOW.plusSeconds(61)));
		assertThat(List.of(early, issuedLater)).allSatisfy((result) -> {
			assertThat(result.hasErrors()).isTrue();
			assertThat(TokenLifetime.expired(new JwtValidationException("invalid", result.getErrors()))).isFalse();
		});
	}

	@Test
	void itsLeewayIsSpringSecuritys() {
		assertThat(TokenLifetime.CLOCK_SKEW).isEqualTo(Duration.ofSeconds(60));
	}

	private OAuth2TokenValidatorResult validate(Consumer<Jwt.Builder> claims) {
		Jwt.Builder token = Jwt.withTokenValue("token").header("alg", "RS256").subject("client-7");
		claims.accept(token);
		return this.lifetime.validate(token.build());
	}

}
