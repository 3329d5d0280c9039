package io.exogate.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The Content-Security-Policy of each answer: the GraphiQL page and its assets may load from and
 * talk to this origin only; every other answer is data, and may load nothing nor be framed.
 */
final class SecurityHeaders implements WebFilter {

	private final String graphiqlPolicy;

	/** @param graphiqlPolicy the GraphiQL page's policy */
	SecurityHeaders(String graphiqlPolicy) {
		this.graphiqlPolicy = graphiqlPolicy;
	}

	/**
	 * The headers Spring Security writes on every answer it sees, for an answer given before its chain
	 * runs (a request its firewall refuses).
	 */
	static void onRefusal(HttpHeaders headers) {
		headers.set("Content-Security-Policy", API_POLICY);
		headers.set("X-Content-Type-Options", "nosniff");
		headers.set("X-Frame-Options", "DENY");
		headers.set("Referrer-Policy", "no-referrer");
		headers.set(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
	}

	/** Every other answer. */
	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean graphiql = path.equals("/graphiql") || path.startsWith("/graphiql/");
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set("Content-Security-Policy", graphiql ? this.graphiqlPolicy : API_POLICY);
		headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
		headers.set("Cross-Origin-Opener-Policy", "same-origin");
		return chain.filter(exchange);
	}

}
