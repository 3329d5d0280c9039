package io.exogate.gateway.security;

import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.http.GraphiQlPage;
import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * Who may call: every endpoint but {@code /actuator/health} and the GraphiQL page needs an API key
 * ({@code X-API-Key}) or, when a JWT issuer is configured, a bearer token naming a tenant. Stateless:
 * no session, no CSRF token (no cookie is ever read), no login page; a refusal is a 401 GraphQL error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

	@Bean
	Tenants tenants(SecurityProperties properties, Accounts accounts, ObjectProvider<ReactiveJwtDecoder> decoder,
			Environment environment) {
		Tenants tenants = Tenants.of(properties.tenants(), accounts.all().stream().map((account) -> account.sid()).toList(),
				accounts.sandbox());
		if (tenants.acceptsTokens()) {
			if (decoder.getIfAvailable() == null) {
				throw new IllegalStateException("A tenant names a jwt claim but no token issuer is configured: set"
						+ " spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri");
			}
			if (Binder.get(environment)
				.bind("spring.security.oauth2.resourceserver.jwt.audiences", Bindable.listOf(String.class))
				.orElse(List.of())
				.isEmpty()) {
				throw new IllegalStateException("Tokens are accepted but no audience is configured: set"
						+ " spring.security.oauth2.resourceserver.jwt.audiences to this gateway's audience");
			}
		}
		return tenants;
	}

	@Bean
	RouterFunction<ServerResponse> graphiQlPage(Tenants tenants, SecurityProperties properties) {
		return GraphiQlPage.routes(Map.of(properties.apiKeyHeader(), tenants.demo() ? Tenants.DEMO_KEY : ""));
	}

	@Bean
	ExportCallbacks exportCallbacks() {
		return new ExportCallbacks();
	}

	@Bean
	Audit audit(Clock clock) {
		return new Audit(clock);
	}

	@Bean(destroyMethod = "close")
	ClientRateLimiter clientRateLimiter(ObjectProvider<RedisClient> redis) {
		return new ClientRateLimiter(redis.getIfAvailable());
	}

	/** Refuses credentials in a URL ahead of every filter that reads the request, whatever its method and path. */
	@Bean
	UrlCredentials urlCredentials(Tenants tenants, SecurityProperties properties, Audit audit,
			ObjectProvider<ReactiveJwtDecoder> decoders) {
		boolean tokens = tenants.acceptsTokens() && decoders.getIfAvailable() != null;
		return new UrlCredentials(new Unauthenticated(audit, properties.apiKeyHeader(), tokens));
	}

	@Bean
	CallerScope callerScope(Tenants tenants, SecurityProperties properties, Accounts accounts) {
		boolean introspection = (properties.introspection() != null) ? properties.introspection() : accounts.sandbox();
		return new CallerScope(tenants, introspection);
	}

	@Bean
	SecurityWebFilterChain exogateSecurity(ServerHttpSecurity http, Tenants tenants, SecurityProperties properties,
			Audit audit, ClientRateLimiter limiter, ObjectProvider<ReactiveJwtDecoder> decoders) {
		ReactiveJwtDecoder decoder = tenants.acceptsTokens() ? decoders.getIfAvailable() : null;
		Unauthenticated unauthenticated = new Unauthenticated(audit, properties.apiKeyHeader(), decoder != null);
		http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.cors((cors) -> cors.configurationSource(cors(properties)))
			.headers((headers) -> headers.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers("/actuator/health", "/actuator/health/**", "/graphiql", "/graphiql/**", "/graphiql-examples.graphql",
						"/favicon.ico")
				.permitAll()
				.pathMatchers(HttpMethod.OPTIONS)
				.permitAll()
				.anyExchange()
				.authenticated())
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(unauthenticated))
			.addFilterAt(new ApiKeyFilter(tenants, properties.apiKeyHeader(), unauthenticated), SecurityWebFiltersOrder.AUTHENTICATION)
			.addFilterAfter(new SecurityHeaders(), SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
			.addFilterAfter(new ClientRateLimit(tenants, limiter, audit), SecurityWebFiltersOrder.AUTHORIZATION);
		if (decoder != null) {
			http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(unauthenticated)
				.jwt((jwt) -> jwt.jwtDecoder(decoder)
					.jwtAuthenticationConverter((token) -> Mono.justOrEmpty(tenants.byClaims(token.getClaims(), token.getSubject()))
						.map(CallerAuthentication::new)
						.switchIfEmpty(Mono.error(() -> new Refused(Reason.NO_TENANT))))));
		}
		else {
			http.addFilterAfter((exchange, chain) -> {
				String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
				return (authorization != null) ? unauthenticated.commence(exchange, new Refused(Reason.TOKENS_NOT_ACCEPTED))
						: chain.filter(exchange);
			}, SecurityWebFiltersOrder.AUTHENTICATION);
		}
		return http.build();
	}

	private static UrlBasedCorsConfigurationSource cors(SecurityProperties properties) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!properties.corsAllowedOrigins().isEmpty()) {
			CorsConfiguration configuration = new CorsConfiguration();
			configuration.setAllowedOrigins(properties.corsAllowedOrigins());
			configuration.setAllowedMethods(List.of("GET", "POST"));
			configuration.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION,
					properties.apiKeyHeader()));
			configuration.setAllowCredentials(false);
			configuration.setMaxAge(600L);
			source.registerCorsConfiguration("/graphql", configuration);
		}
		return source;
	}

}
