package io.exogate.gateway.security;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.gateway.security.Unauthenticated.Reason;
import io.exogate.gateway.security.Unauthenticated.Refused;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Authenticates a GraphQL-over-WebSocket connection by the credentials in its {@code connection_init}
 * payload, an API key under the API key header's name ({@code {"X-API-Key": "..."}}, any case) or,
 * when the gateway accepts tokens, {@code {"Authorization": "Bearer ..."}}, checked exactly as the
 * HTTP headers are. A connection they name a caller for is acknowledged and keeps its {@link Caller}
 * and {@link Tenant} in the session; any other is closed {@code 4401 Unauthorized} (Spring's answer
 * to a failed {@code connection_init}; graphql-ws clients do not reconnect after it) and audited.
 * Each {@code subscribe} then runs scoped to the session's caller, within its requests per minute, and
 * none once the connection's bearer token has expired.
 */
public final class WebSocketAuthentication implements WebSocketGraphQlInterceptor, Ordered {

	/** Before {@link CallerScope}, which trusts what this put into the request. */
	public static final int ORDER = CallerScope.ORDER - 1;

	/** The session attribute holding when the connection's bearer token expires. */
	static final String EXPIRES = "exogate.expires";

	/** The form Spring Security reads a bearer token in. */
	private static final Pattern BEARER = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$", Pattern.CASE_INSENSITIVE);

	private final Authenticator authenticator;

	private final Tenants tenants;

	private final CallerScope scope;

	private final ClientRateLimiter limiter;

	private final Audit audit;

	private final String keyName;

	private final String path;

	private final Clock clock;

	WebSocketAuthentication(Authenticator authenticator, Tenants tenants, CallerScope scope, ClientRateLimiter limiter,
			Audit audit, String keyName, String path, Clock clock) {
		this.authenticator = authenticator;
		this.tenants = tenants;
		this.scope = scope;
		this.limiter = limiter;
		this.audit = audit;
		this.keyName = keyName;
		this.path = path;
		this.clock = clock;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo sessionInfo, Map<String, Object> payload) {
		return Mono.defer(() -> authenticate(payload))
			.flatMap((authenticated) -> Mono.justOrEmpty(this.tenants.tenant(authenticated.caller().tenant()))
				.switchIfEmpty(Mono.error(() -> new Refused(Reason.NO_TENANT)))
				.doOnNext((tenant) -> {
					if (authenticated.expires() != null) {
						sessionInfo.getAttributes().put(EXPIRES, authenticated.expires());
					}
					sessionInfo.getAttributes().put(CallerScope.CALLER, authenticated.caller());
					sessionInfo.getAttributes().put(CallerScope.TENANT, tenant);
				}))
			.doOnError((ex) -> this.audit.unauthenticated(reason(ex).detail(), this.path, null))
			.then(Mono.empty());
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest webSocket)) {
			return chain.next(request);
		}
		Map<String, Object> session = webSocket.getSessionInfo().getAttributes();
		if (!(session.get(CallerScope.CALLER) instanceof Caller caller) || !(session.get(CallerScope.TENANT) instanceof Tenant tenant)) {
			// A subscribe sent before the connection_ack it should have waited for, or racing a refused connection_init.
			return Mono.just(refusal(request, "Authentication is required: wait for connection_ack before subscribing.",
					Map.of("code", Unauthenticated.CODE)));
		}
		if (session.get(EXPIRES) instanceof Instant expires && this.clock.instant().isAfter(expires.plus(TokenLifetime.CLOCK_SKEW))) {
			this.audit.unauthenticated(Reason.EXPIRED_TOKEN.detail(), this.path, caller.client());
			return Mono.just(refusal(request, "The bearer token has expired: connect again with a fresh one.",
					Map.of("code", Unauthenticated.CODE)));
		}
		return this.limiter.take(caller, tenant.requestsPerMinute()).flatMap((wait) -> {
			if (wait.isZero()) {
				return chain.next(this.scope.scoped(request, caller, tenant));
			}
			long seconds = ClientRateLimit.retryAfterSeconds(wait);
			this.audit.rateLimited(caller, seconds);
			return Mono.just(refusal(request, ClientRateLimit.message(tenant.requestsPerMinute(), seconds),
					Map.of("code", ClientRateLimit.CODE, "retryAfterSeconds", seconds)));
		});
	}

	/** The caller the payload's one credential names, or a {@link Refused} naming why there is none. */
	private Mono<Authenticated> authenticate(Map<String, Object> payload) {
		List<Object> keys = new ArrayList<>();
		List<Object> authorizations = new ArrayList<>();
		for (Map.Entry<String, Object> entry : payload.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(this.keyName)) {
				keys.add(entry.getValue());
			}
			else if (entry.getKey().equalsIgnoreCase(HttpHeaders.AUTHORIZATION)) {
				authorizations.add(entry.getValue());
			}
		}
		if (!keys.isEmpty() && !authorizations.isEmpty()) {
			return Mono.error(new Refused(Reason.TWO_CREDENTIALS));
		}
		if (!keys.isEmpty()) {
			Optional<Caller> caller = (keys.size() == 1 && keys.get(0) instanceof String key) ? this.authenticator.byApiKey(key)
					: Optional.empty();
			return Mono.justOrEmpty(caller)
				.map((named) -> new Authenticated(named, null))
				.switchIfEmpty(Mono.error(() -> new Refused(Reason.INVALID_KEY)));
		}
		if (!authorizations.isEmpty()) {
			if (!this.authenticator.acceptsTokens()) {
				return Mono.error(new Refused(Reason.TOKENS_NOT_ACCEPTED));
			}
			Matcher bearer = (authorizations.size() == 1 && authorizations.get(0) instanceof String value) ? BEARER.matcher(value) : null;
			if (bearer == null || !bearer.matches()) {
				return Mono.error(new Refused(Reason.INVALID_TOKEN));
			}
			return this.authenticator.verify(bearer.group("token"))
				.flatMap((token) -> this.authenticator.byToken(token).map((named) -> new Authenticated(named, token.getExpiresAt())));
		}
		return Mono.error(new Refused(Reason.MISSING));
	}

	/** A connection's caller, and when its token expires ({@code null} for an API key). */
	private record Authenticated(Caller caller, Instant expires) {
	}

	private static Reason reason(Throwable ex) {
		return (ex instanceof Refused refused) ? refused.reason() : Reason.INVALID_TOKEN;
	}

	/** An answer to a request that is not executed: one error, no data. */
	private static WebGraphQlResponse refusal(WebGraphQlRequest request, String message, Map<String, Object> extensions) {
		ExecutionResult result = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError().message(message).extensions(extensions).build())
			.build();
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
	}

}
