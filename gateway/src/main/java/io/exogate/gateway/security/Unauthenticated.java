package io.exogate.gateway.security;

import io.exogate.gateway.http.GraphQlRequestGuard;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to a request without valid credentials: HTTP 401 with a GraphQL error body coded
 * {@code UNAUTHENTICATED}, in fixed words that never repeat what was presented, and an audit event.
 */
public final class Unauthenticated implements ServerAuthenticationEntryPoint {

	private static final java.util.regex.Pattern KNOWN_PATH = java.util.regex.Pattern
		.compile("/(graphql|graphiql|actuator)(/(ws|health|info|settings\\.json))?");

	/** The code clients branch on. */
	public static final String CODE = "UNAUTHENTICATED";

	private final Audit audit;

	private final String keyHeader;

	private final boolean tokens;

	private final JsonMapper json = JsonMapper.builder().build();

	public Unauthenticated(Audit audit, String keyHeader, boolean tokens) {
		this.audit = audit;
		this.keyHeader = keyHeader;
		this.tokens = tokens;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		Reason reason = reason(ex);
		this.audit.unauthenticated(reason.detail(), via(exchange.getRequest().getPath().value()), null);
		return write(exchange, reason.message(this.keyHeader, this.tokens));
	}

	/**
	 * The path as the audit trail names it: the gateway's own endpoints as they are, any other path as
	 * {@code (other)}, so that a key a client put in its path never reaches the log.
	 */
	static String via(String path) {
		return KNOWN_PATH.matcher(path).matches() ? path : "(other)";
	}

	Mono<Void> write(ServerWebExchange exchange, String message) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		response.getHeaders().setContentType(GraphQlRequestGuard.responseType(exchange));
		response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, this.tokens ? "ApiKey header=\"" + this.keyHeader + "\", Bearer"
				: "ApiKey header=\"" + this.keyHeader + "\"");
		byte[] body = this.json.writeValueAsString(errors(message, Map.of("code", CODE))).getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** A GraphQL body of one error, its keys in the order of the spec's examples: {@code message}, then {@code extensions}. */
	static Map<String, Object> errors(String message, Map<String, Object> extensions) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("extensions", extensions);
		return Map.of("errors", List.of(error));
	}

	private static Reason reason(AuthenticationException ex) {
		if (ex instanceof Refused refused) {
			return refused.reason();
		}
		if (ex instanceof OAuth2AuthenticationException) {
			return tokenRefused(ex);
		}
		return Reason.MISSING;
	}

	/** Why the token decoder refused a bearer token, from its failure (the cause of Spring Security's). */
	static Reason tokenRefused(Throwable failure) {
		if (JwkSetFetch.unavailable(failure) != null) {
			return Reason.KEYS_UNAVAILABLE;
		}
		return TokenLifetime.expired(failure) ? Reason.EXPIRED_TOKEN : Reason.INVALID_TOKEN;
	}

	/** Why a request is refused. */
	public enum Reason {

		MISSING, INVALID_KEY, INVALID_TOKEN, EXPIRED_TOKEN, KEYS_UNAVAILABLE, NO_TENANT, KEY_IN_URL, TWO_CREDENTIALS,
		TOKENS_NOT_ACCEPTED;

		/** The reason as an audit event's {@code detail}: {@code invalid-key}, {@code missing}, ... */
		String detail() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		String message(String header, boolean tokens) {
			return switch (this) {
				case MISSING -> "Authentication is required: send an API key in the " + header + " header"
						+ (tokens ? " or a bearer token in Authorization." : ".");
				case INVALID_KEY -> "The API key is not valid.";
				case INVALID_TOKEN -> "The bearer token is not valid.";
				case EXPIRED_TOKEN -> "The bearer token has expired.";
				case KEYS_UNAVAILABLE -> "The bearer token cannot be checked now: its issuer's keys could not be fetched."
						+ " Try again later.";
				case NO_TENANT -> "The bearer token names no tenant of this gateway.";
				case KEY_IN_URL -> "Credentials in the URL are refused: send the API key in the " + header
						+ " header; treat a key that was sent in a URL as leaked.";
				case TWO_CREDENTIALS -> "Send one credential: an API key or a bearer token, not both.";
				case TOKENS_NOT_ACCEPTED -> "This gateway accepts no bearer tokens: send an API key in the " + header + " header.";
			};
		}

	}

	/** An authentication refused for a known reason. */
	public static final class Refused extends AuthenticationException {

		private final Reason reason;

		public Refused(Reason reason) {
			super(reason.name());
			this.reason = reason;
		}

		Reason reason() {
			return this.reason;
		}

	}

}
