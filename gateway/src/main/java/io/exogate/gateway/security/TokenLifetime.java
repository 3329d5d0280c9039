package io.exogate.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A bearer token's lifetime, with {@link #CLOCK_SKEW} of leeway for clocks apart: its {@code exp} is
 * required and not past, its {@code nbf} and {@code iat}, when present, not in the future. Spring
 * Security's own timestamp check still runs beside it (it lets a token without {@code exp} pass, and
 * does not read {@code iat}); an expired token fails this with {@link #EXPIRED}, which {@link #expired}
 * looks for.
 */
final class TokenLifetime implements OAuth2TokenValidator<Jwt> {

	/** The leeway Spring Security gives a token's timestamps, used here alike. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final OAuth2Error EXPIRED = error("The token has expired");

	private static final OAuth2Error NO_EXPIRY = error("The token has no expiry (exp)");

	private static final OAuth2Error NOT_YET_VALID = error("The token is not valid yet (nbf)");

	private static final OAuth2Error ISSUED_LATER = error("The token is issued in the future (iat)");

	private final Clock clock;

	TokenLifetime(Clock clock) {
		this.clock = clock;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt token) {
		Instant now = this.clock.instant();
		Instant expires = token.getExpiresAt();
		if (expires == null) {
			return OAuth2TokenValidatorResult.failure(NO_EXPIRY);
		}
		if (now.minus(CLOCK_SKEW).isAfter(expires)) {
			return OAuth2TokenValidatorResult.failure(EXPIRED);
		}
		Instant latest = now.plus(CLOCK_SKEW);
		if (token.getNotBefore() != null && token.getNotBefore().isAfter(latest)) {
			return OAuth2TokenValidatorResult.failure(NOT_YET_VALID);
		}
		if (token.getIssuedAt() != null && token.getIssuedAt().isAfter(latest)) {
			return OAuth2TokenValidatorResult.failure(ISSUED_LATER);
		}
		return OAuth2TokenValidatorResult.success();
	}

	/** Whether the failure, or one of its causes, is a token refused because it has expired. */
	static boolean expired(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid && invalid.getErrors().contains(EXPIRED)) {
				return true;
			}
		}
		return false;
	}

	private static OAuth2Error error(String description) {
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, "https://tools.ietf.org/html/rfc6750#section-3.1");
	}

}
