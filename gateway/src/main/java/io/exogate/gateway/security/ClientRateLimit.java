package io.exogate.gateway.security;

import io.exogate.gateway.http.GraphQlRequestGuard;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds each authenticated client to its tenant's requests per minute: a request beyond it is answered
 * HTTP 429 with a GraphQL error coded {@code RATE_LIMITED}, {@code retryAfterSeconds} and {@code Retry-After}.
 */
final class ClientRateLimit implements WebFilter {

	/** The code of a refusal. */
	static final String CODE = "RATE_LIMITED";

	private final Tenants tenants;

	private final ClientRateLimiter limiter;

	private final Audit audit;

	private final JsonMapper json = JsonMapper.builder().build();

	ClientRateLimit(Tenants tenants, ClientRateLimiter limiter, Audit audit) {
		this.tenants = tenants;
		this.limiter = limiter;
		this.audit = audit;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(CallerAuthentication.class::isInstance)
			.map((authentication) -> ((CallerAuthentication) authentication).getPrincipal())
			.flatMap((caller) -> this.tenants.tenant(caller.tenant())
				.map((tenant) -> this.limiter.take(caller, tenant.requestsPerMinute()).flatMap((wait) -> wait.isZero()
						? chain.filter(exchange).thenReturn(true) : refuse(exchange, caller, wait).thenReturn(true)))
				.orElseGet(() -> chain.filter(exchange).thenReturn(true)))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	private Mono<Void> refuse(ServerWebExchange exchange, Caller caller, Duration wait) {
		long seconds = retryAfterSeconds(wait);
		this.audit.rateLimited(caller, seconds);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		response.getHeaders().setContentType(GraphQlRequestGuard.responseType(exchange));
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", CODE);
		extensions.put("retryAfterSeconds", seconds);
		String message = message(this.tenants.tenant(caller.tenant()).map(Tenants.Tenant::requestsPerMinute).orElse(0), seconds);
		byte[] body = this.json.writeValueAsString(Unauthenticated.errors(message, extensions)).getBytes(StandardCharsets.UTF_8);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** The whole seconds until a refused client may try again, at least one. */
	static long retryAfterSeconds(Duration wait) {
		return Math.max(1, (wait.toMillis() + 999) / 1000);
	}

	/** What a refused client is told. */
	static String message(int perMinute, long retryAfterSeconds) {
		return "Too many requests: this client may make " + perMinute + " per minute; try again in " + retryAfterSeconds + " s.";
	}

}
