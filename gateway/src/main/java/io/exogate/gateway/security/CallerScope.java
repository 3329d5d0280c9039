package io.exogate.gateway.security;

import graphql.GraphQLContext;
import graphql.introspection.Introspection;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.model.error.UnauthorizedException;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * Hands each GraphQL request its caller: the {@link Caller} and its {@link Tenant} go into the GraphQL
 * context, where resolvers, DataLoaders and the cost guard read them; switches introspection off when
 * it is not served. A request that reaches GraphQL without a caller is not executed. An HTTP request's
 * caller is the one Spring Security authenticated; a WebSocket request's is the one its session's
 * {@code connection_init} authenticated, which {@link WebSocketAuthentication} (ordered before this)
 * has already put into the request.
 */
public final class CallerScope implements WebGraphQlInterceptor, Ordered {

	/** After {@link WebSocketAuthentication}, before everything else that needs a caller. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	/** The GraphQL context key, and WebSocket session attribute, of the {@link Caller}. */
	public static final String CALLER = "exogate.caller";

	/** The GraphQL context key, and WebSocket session attribute, of the caller's {@link Tenant}. */
	public static final String TENANT = "exogate.tenant";

	private final Tenants tenants;

	private final boolean introspection;

	public CallerScope(Tenants tenants, boolean introspection) {
		this.tenants = tenants;
		this.introspection = introspection;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (request instanceof WebSocketGraphQlRequest webSocket) {
			// No security context on a WebSocket: the session's connection_init named the caller.
			Map<String, Object> session = webSocket.getSessionInfo().getAttributes();
			if (!(session.get(CALLER) instanceof Caller) || !(session.get(TENANT) instanceof Tenant)) {
				return Mono.error(new UnauthorizedException("Authentication is required"));
			}
			return chain.next(request)
				.contextWrite((context) -> context.put(TENANT, session.get(TENANT)).put(CALLER, session.get(CALLER)));
		}
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(CallerAuthentication.class::isInstance)
			.map((authentication) -> ((CallerAuthentication) authentication).getPrincipal())
			.switchIfEmpty(Mono.error(() -> new UnauthorizedException("Authentication is required")))
			.flatMap((caller) -> {
				Tenant tenant = this.tenants.tenant(caller.tenant())
					.orElseThrow(() -> new UnauthorizedException("Authentication is required"));
				// In the Reactor context too, for the interceptors after this one (the response cache, the request's deadline).
				return chain.next(scoped(request, caller, tenant))
					.contextWrite((context) -> context.put(TENANT, tenant).put(CALLER, caller));
			});
	}

	/** The request with its caller, for transports that authenticate otherwise (a WebSocket's connection_init). */
	public WebGraphQlRequest scoped(WebGraphQlRequest request, Caller caller, Tenant tenant) {
		request.configureExecutionInput((input, builder) -> {
			builder.graphQLContext(Map.of(CALLER, caller, TENANT, tenant));
			if (!this.introspection) {
				builder.graphQLContext(Map.of(Introspection.INTROSPECTION_DISABLED, true));
			}
			return builder.build();
		});
		return request;
	}

	/** Whether introspection is served. */
	public boolean introspection() {
		return this.introspection;
	}

	/** The caller of a request. */
	public static Caller caller(GraphQLContext context) {
		Caller caller = context.get(CALLER);
		if (caller == null) {
			throw new UnauthorizedException("Authentication is required");
		}
		return caller;
	}

	/** The tenant of a request. */
	public static Tenant tenant(GraphQLContext context) {
		Tenant tenant = context.get(TENANT);
		if (tenant == null) {
			throw new UnauthorizedException("Authentication is required");
		}
		return tenant;
	}

}
