package io.exogate.gateway.security;

import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates a request by its API key header, refuses credentials sent in the URL and requests
 * carrying both a key and a bearer token, and leaves bearer tokens to the resource server.
 */
final class ApiKeyFilter implements WebFilter {

	private final Authenticator authenticator;

	private final String header;

	private final Unauthenticated unauthenticated;

	ApiKeyFilter(Authenticator authenticator, String header, Unauthenticated unauthenticated) {
		this.authenticator = authenticator;
		this.header = header;
		this.unauthenticated = unauthenticated;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (UrlCredentials.named(request, this.header)) {
			return this.unauthenticated.commence(exchange, new Refused(Reason.KEY_IN_URL));
		}
		List<String> keys = request.getHeaders().get(this.header);
		if (keys == null || keys.isEmpty()) {
			return chain.filter(exchange);
		}
		if (request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			return this.unauthenticated.commence(exchange, new Refused(Reason.TWO_CREDENTIALS));
		}
		if (keys.size() != 1) {
			return this.unauthenticated.commence(exchange, new Refused(Reason.INVALID_KEY));
		}
		return this.authenticator.byApiKey(keys.get(0))
			.map((caller) -> chain.filter(exchange)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(new CallerAuthentication(caller))))
			.orElseGet(() -> this.unauthenticated.commence(exchange, new Refused(Reason.INVALID_KEY)));
	}

}
