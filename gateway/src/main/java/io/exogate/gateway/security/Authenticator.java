package io.exogate.gateway.security;

import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Turns a presented API key or bearer token into its {@link Caller}, the same way whether it came in
 * an HTTP header or in a WebSocket's {@code connection_init}; a refusal is a {@link Refused} naming why.
 */
final class Authenticator {

	/** No key is longer; a longer one is refused without hashing it. */
	static final int MAX_KEY_LENGTH = 256;

	private final Tenants tenants;

	private final ReactiveJwtDecoder decoder;

	/** @param decoder the gateway's token decoder, or {@code null} when it accepts no tokens */
	Authenticator(Tenants tenants, ReactiveJwtDecoder decoder) {
		this.tenants = tenants;
		this.decoder = decoder;
	}

	/** Whether bearer tokens are accepted. */
	boolean acceptsTokens() {
		return this.decoder != null;
	}

	/** The caller an API key names; empty for a blank, overlong or unknown key. */
	Optional<Caller> byApiKey(String key) {
		if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
			return Optional.empty();
		}
		return this.tenants.byApiKey(key);
	}

	/** The caller a verified token names, or a {@link Refused} {@code NO_TENANT}. */
	Mono<Caller> byToken(Jwt token) {
		return Mono.justOrEmpty(this.tenants.byClaims(token.getClaims(), token.getSubject()))
			.switchIfEmpty(Mono.error(() -> new Refused(Reason.NO_TENANT)));
	}

	/**
	 * The bearer token once the gateway's decoder has verified it (signature, issuer, audience,
	 * lifetime: {@link TokenValidation}), or a {@link Refused} naming why not; {@link #byToken} then
	 * names its caller.
	 */
	Mono<Jwt> verify(String token) {
		if (this.decoder == null) {
			return Mono.error(new Refused(Reason.TOKENS_NOT_ACCEPTED));
		}
		return Mono.defer(() -> this.decoder.decode(token))
			.onErrorMap(JwtException.class, (ex) -> new Refused(Unauthenticated.tokenRefused(ex)));
	}

}
