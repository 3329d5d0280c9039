package io.exogate.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The Content-Security-Policy of each answer: the GraphiQL page may load GraphiQL from its CDN and
 * talk to this origin only; every other answer is data, and may load nothing nor be framed.
 */
final class SecurityHeaders implements WebFilter {

	/** What the GraphiQL page needs: its own inline module and import map, GraphiQL from esm.sh, and this origin. */
	static final String GRAPHIQL_POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline' https://esm.sh;"
			+ " style-src 'self' 'unsafe-inline' https://esm.sh; font-src 'self' data: https://esm.sh;"
			+ " img-src 'self' data: https://esm.sh; connect-src 'self' https://esm.sh; worker-src 'self' blob: https://esm.sh;"
			+ " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	/** Every other answer. */
	static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean graphiql = path.equals("/graphiql") || path.startsWith("/graphiql/");
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set("Content-Security-Policy", graphiql ? GRAPHIQL_POLICY : API_POLICY);
		headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
		headers.set("Cross-Origin-Opener-Policy", "same-origin");
		return chain.filter(exchange);
	}

}
