package io.exogate.gateway.security;

import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.http.GraphiQlPage;
import io.exogate.gateway.http.GraphQlRequestGuard;
import io.exogate.gateway.http.HttpConfiguration;
import io.exogate.gateway.http.HttpProperties;
import io.exogate.gateway.http.Refusal;
import io.exogate.gateway.response.ResponseBytes;
import io.exogate.gateway.response.ResponseCache;
import io.exogate.gateway.response.ResponseCacheProperties;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import io.lettuce.core.RedisClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsProcessor;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Who may call: every endpoint but {@code /actuator/health} and the GraphiQL page needs an API key
 * ({@code X-API-Key}) or, when a JWT issuer is configured, a bearer token naming a tenant. Stateless:
 * no session, no CSRF token (no cookie is ever read), no login page; a refusal is a 401 GraphQL error.
 * The GraphQL WebSocket ({@code spring.graphql.websocket.path}, when set; {@code /graphql} like HTTP by
 * default, a handshake told apart by its {@code Upgrade: websocket} header) is opened without credentials,
 * which browsers cannot put on a handshake: its {@code connection_init} carries them
 * ({@link WebSocketAuthentication}), and a handshake from a browser origin CORS does not allow is refused 403.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

	/**
	 * What anyone may ask for: health (status only unless authenticated), the GraphiQL page,
	 * playback, whose signed token in the path is its credential, and Exotel's webhooks, whose
	 * account secret in the query is theirs.
	 */
	static final String[] PUBLIC_PATHS = { "/actuator/health", "/actuator/health/**", "/graphiql", "/graphiql/**",
			"/graphiql-examples.graphql", "/favicon.ico", "/playback/*", "/webhooks/exotel/*/status",
			"/webhooks/exotel/*/export" };

	private static final String WEBSOCKET_PATH = "spring.graphql.websocket.path";

	@Bean
	Tenants tenants(SecurityProperties properties, Accounts accounts, ObjectProvider<ReactiveJwtDecoder> decoder,
			Environment environment) {
		Tenants tenants = Tenants.of(properties.tenants(), accounts.all().stream().map((account) -> account.sid()).toList(),
				accounts.sandbox());
		if (tenants.acceptsTokens()) {
			TokenValidation.requireIssuerAndKeys(environment);
			if (decoder.getIfAvailable() == null) {
				throw new IllegalStateException("A tenant names a jwt claim but no token decoder is configured: keep Spring"
						+ " Boot's OAuth2 resource server auto-configuration on");
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
	RouterFunction<ServerResponse> graphiQlPage(Tenants tenants, SecurityProperties properties, Environment environment) {
		return GraphiQlPage.routes(Map.of(properties.apiKeyHeader(), tenants.demo() ? Tenants.DEMO_KEY : ""),
				environment.getProperty("spring.graphql.http.path", "/graphql"), environment.getProperty(WEBSOCKET_PATH),
				environment.getProperty("exogate.public-base-url"));
	}

	@Bean
	ExportCallbacks exportCallbacks() {
		return new ExportCallbacks();
	}

	/**
	 * No observation per security filter: each would wrap every request in dozens of operators; the
	 * request's own timer and the audit trail say what a request did.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	Audit audit(Clock clock) {
		return new Audit(clock);
	}

	@Bean(destroyMethod = "close")
	ClientRateLimiter clientRateLimiter(ObjectProvider<RedisClient> redis) {
		return new ClientRateLimiter(redis.getIfAvailable());
	}

	/**
	 * A request the security firewall refuses (a path with {@code ;}, encoded slashes, a disallowed
	 * method, ...) is answered 400 with a GraphQL error body, as every other refusal.
	 */
	@Bean
	ServerExchangeRejectedHandler graphQlErrorOnRejectedExchange() {
		return (exchange, ex) -> {
			SecurityHeaders.onRefusal(exchange.getResponse().getHeaders());
			return GraphQlRequestGuard.refuse(exchange, Refusal.badRequest("The request's path, method or a header value is not one the gateway accepts"
					+ " (header values are printable ASCII)."));
		};
	}

	@Bean
	Authenticator authenticator(Tenants tenants, ObjectProvider<ReactiveJwtDecoder> decoders) {
		return new Authenticator(tenants, tenants.acceptsTokens() ? decoders.getIfAvailable() : null);
	}

	@Bean
	@ConditionalOnProperty(WEBSOCKET_PATH)
	WebSocketAuthentication webSocketAuthentication(Authenticator authenticator, Tenants tenants, CallerScope scope,
			ClientRateLimiter limiter, Audit audit, SecurityProperties properties, Environment environment, Clock clock) {
		return new WebSocketAuthentication(authenticator, tenants, scope, limiter, audit, properties.apiKeyHeader(),
				environment.getRequiredProperty(WEBSOCKET_PATH), clock);
	}

	@Bean
	CallerScope callerScope(Tenants tenants, SecurityProperties properties, Accounts accounts) {
		boolean introspection = (properties.introspection() != null) ? properties.introspection() : accounts.sandbox();
		return new CallerScope(tenants, introspection);
	}

	@Bean
	SecurityWebFilterChain exogateSecurity(ServerHttpSecurity http, Tenants tenants, SecurityProperties properties,
			Audit audit, ClientRateLimiter limiter, ObjectProvider<ReactiveJwtDecoder> decoders, Authenticator authenticator,
			Environment environment, HttpProperties httpProperties, ObjectProvider<ResponseCache> responseCache,
			ObjectProvider<ResponseCacheProperties> responseCacheProperties, Clock clock) {
		ReactiveJwtDecoder decoder = tenants.acceptsTokens() ? decoders.getIfAvailable() : null;
		Unauthenticated unauthenticated = new Unauthenticated(audit, properties.apiKeyHeader(), decoder != null);
		String webSocket = environment.getProperty(WEBSOCKET_PATH);
		String graphQl = environment.getProperty("spring.graphql.http.path", "/graphql");
		ServerWebExchangeMatcher open = ServerWebExchangeMatchers.pathMatchers(PUBLIC_PATHS);
		http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.cors(ServerHttpSecurity.CorsSpec::disable)
			.headers((headers) -> headers.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.authorizeExchange((exchanges) -> {
				exchanges.pathMatchers(PUBLIC_PATHS)
					.permitAll()
					.pathMatchers(HttpMethod.OPTIONS)
					.permitAll();
				if (webSocket != null) {
					// The handshake only: the connection_init authenticates the connection. Any other request to
					// the path (the same as HTTP's, /graphql, by default) needs credentials as before.
					exchanges.matchers(handshake(webSocket)).permitAll();
				}
				exchanges.anyExchange().authenticated();
			})
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(unauthenticated))
			.addFilterAt(new ApiKeyFilter(authenticator, properties.apiKeyHeader(), unauthenticated),
					SecurityWebFiltersOrder.AUTHENTICATION)
			.addFilterAfter(new SecurityHeaders(GraphiQlPage.contentSecurityPolicy(environment.getProperty("exogate.public-base-url"))), SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
			.addFilterAt(corsFilter(cors(properties, graphQl, webSocket)), SecurityWebFiltersOrder.CORS)
			// After authorization: a client's allowance first, then the body is read, for callers only.
			.addFilterAfter(new ClientRateLimit(tenants, limiter, audit), SecurityWebFiltersOrder.AUTHORIZATION)
			.addFilterAfter(HttpConfiguration.graphQlRequestGuard(environment, httpProperties, (exchange) -> bodyLimit(tenants)),
					SecurityWebFiltersOrder.AUTHORIZATION);
		ResponseCache responses = responseCache.getIfAvailable();
		if (responses != null) {
			// Once the body is read and checked: a request seen before is answered from the bytes kept for it.
			http.addFilterAfter(new ResponseBytes(responses, audit, responseCacheProperties.getObject().maxSize().toBytes(), clock),
					SecurityWebFiltersOrder.AUTHORIZATION);
		}
		if (decoder != null) {
			http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(unauthenticated)
				.jwt((jwt) -> jwt.jwtDecoder(decoder)
					.jwtAuthenticationConverter((token) -> authenticator.byToken(token).map(CallerAuthentication::new))));
		}
		else {
			// A public path ignores the header (a load balancer's probe may send one); elsewhere it is refused.
			http.addFilterAfter((exchange, chain) -> {
				String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
				if (authorization == null) {
					return chain.filter(exchange);
				}
				return open.matches(exchange)
					.flatMap((match) -> match.isMatch() ? chain.filter(exchange)
							: unauthenticated.commence(exchange, new Refused(Reason.TOKENS_NOT_ACCEPTED)));
			}, SecurityWebFiltersOrder.AUTHENTICATION);
		}
		return http.build();
	}

	/**
	 * The browser origins allowed on {@code /graphql} and, for the handshake, on the WebSocket. Spring's
	 * WebSocket handler refuses every cross-origin handshake itself; an allowed one passes it because
	 * this answers first. A handshake without an Origin header, or from the gateway's own origin, is no
	 * CORS request and passes either way.
	 */
	/** The caller's tenant's own body limit, when it has one. */
	private static Mono<Integer> bodyLimit(Tenants tenants) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> (context.getAuthentication() instanceof CallerAuthentication caller) ? caller.getPrincipal() : null)
			.mapNotNull((caller) -> tenants.tenant(caller.tenant()).map((tenant) -> tenant.limits().maxBodySize()).orElse(null))
			.map((size) -> (int) Math.min(Integer.MAX_VALUE, size.toBytes()));
	}

	/** CORS as Spring's filter does it, a refused origin answered 403 with a GraphQL error body. */
	private static WebFilter corsFilter(CorsConfigurationSource source) {
		CorsProcessor processor = new DefaultCorsProcessor();
		return (exchange, chain) -> {
			CorsConfiguration configuration = source.getCorsConfiguration(exchange);
			if (!processor.process(configuration, exchange)) {
				return GraphQlRequestGuard.refuse(exchange, new Refusal(HttpStatus.FORBIDDEN, "CORS_ORIGIN_NOT_ALLOWED",
						"This origin may not call the gateway from a browser: ask an operator to add it to"
								+ " exogate.security.cors-allowed-origins."));
			}
			return CorsUtils.isPreFlightRequest(exchange.getRequest()) ? Mono.empty() : chain.filter(exchange);
		};
	}

	/** A WebSocket handshake ({@code GET} with {@code Upgrade: websocket}) on {@code path}. */
	static ServerWebExchangeMatcher handshake(String path) {
		ServerWebExchangeMatcher onPath = ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, path);
		return (exchange) -> onPath.matches(exchange)
			.flatMap((match) -> (match.isMatch() && GraphQlRequestGuard.isWebSocketUpgrade(exchange.getRequest()))
					? ServerWebExchangeMatcher.MatchResult.match() : ServerWebExchangeMatcher.MatchResult.notMatch());
	}

	/**
	 * The CORS configuration of the GraphQL path, and of the WebSocket's handshake: on one path (the
	 * default) a handshake is told apart by its {@code Upgrade: websocket} header.
	 */
	private static CorsConfigurationSource cors(SecurityProperties properties, String graphQl, String webSocket) {
		UrlBasedCorsConfigurationSource http = new UrlBasedCorsConfigurationSource();
		UrlBasedCorsConfigurationSource handshakes = new UrlBasedCorsConfigurationSource();
		if (!properties.corsAllowedOrigins().isEmpty()) {
			CorsConfiguration configuration = new CorsConfiguration();
			configuration.setAllowedOrigins(properties.corsAllowedOrigins());
			configuration.setAllowedMethods(List.of("GET", "POST"));
			configuration.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.AUTHORIZATION,
					properties.apiKeyHeader()));
			configuration.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE));
			configuration.setAllowCredentials(false);
			configuration.setMaxAge(600L);
			http.registerCorsConfiguration(graphQl, configuration);
			if (webSocket != null) {
				CorsConfiguration handshake = new CorsConfiguration();
				handshake.setAllowedOrigins(properties.corsAllowedOrigins());
				handshake.setAllowedMethods(List.of("GET"));
				handshake.setAllowCredentials(false);
				handshakes.registerCorsConfiguration(webSocket, handshake);
			}
		}
		return (exchange) -> GraphQlRequestGuard.isWebSocketUpgrade(exchange.getRequest()) ? handshakes.getCorsConfiguration(exchange)
				: http.getCorsConfiguration(exchange);
	}

}
