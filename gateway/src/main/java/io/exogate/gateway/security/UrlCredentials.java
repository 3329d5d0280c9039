package io.exogate.gateway.security;

import io.exogate.gateway.http.GraphQlRequestGuard;
import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request naming a credential in its URL, whatever its method and path, ahead of the GraphQL
 * request guard: a key sent in a URL is leaked, and its client must hear so rather than why its
 * request is otherwise malformed.
 */
final class UrlCredentials implements WebFilter, Ordered {

	/** Query parameters that look like credentials: a request naming one is refused, whatever else it carries. */
	private static final Set<String> NAMES = Set.of("api_key", "apikey", "api-key", "x-api-key", "key", "access_token", "token",
			"jwt");

	private final Unauthenticated unauthenticated;

	UrlCredentials(Unauthenticated unauthenticated) {
		this.unauthenticated = unauthenticated;
	}

	@Override
	public int getOrder() {
		return GraphQlRequestGuard.ORDER - 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return named(exchange.getRequest()) ? this.unauthenticated.commence(exchange, new Refused(Reason.KEY_IN_URL))
				: chain.filter(exchange);
	}

	/** Whether the request's query names a credential. */
	static boolean named(ServerHttpRequest request) {
		return request.getQueryParams().keySet().stream().anyMatch((name) -> NAMES.contains(name.toLowerCase(Locale.ROOT)));
	}

}
