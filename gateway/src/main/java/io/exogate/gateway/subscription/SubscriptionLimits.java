package io.exogate.gateway.subscription;

import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.Tenants.Tenant;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds each WebSocket connection to {@code max-per-connection} subscriptions at a time and each tenant
 * to {@code max-per-tenant} on this instance, over all its connections (WebSocket and server-sent events).
 * A subscription over either limit is ended at once with {@code TOO_MANY_SUBSCRIPTIONS}, before anything
 * of it runs; one that ends, is completed by the client or loses its connection gives its place back.
 */
public final class SubscriptionLimits implements WebGraphQlInterceptor, Ordered {

	/** The WebSocket session attribute counting the connection's subscriptions. */
	static final String OPEN = "exogate.subscriptions";

	private final SubscriptionProperties properties;

	private final Map<String, AtomicInteger> tenants = new ConcurrentHashMap<>();

	public SubscriptionLimits(SubscriptionProperties properties) {
		this.properties = properties;
	}

	/** After the caller is known and the document checked. */
	@Override
	public int getOrder() {
		return CallerScope.ORDER + 5;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		AtomicInteger connection = (request instanceof WebSocketGraphQlRequest webSocket)
				? (AtomicInteger) webSocket.getSessionInfo().getAttributes().computeIfAbsent(OPEN, (name) -> new AtomicInteger())
				: null;
		return chain.next(request).map((response) -> {
			if (!(response.getData() instanceof Publisher<?> publisher)) {
				return response;
			}
			if (connection == null && !acceptsEventStream(request)) {
				// A plain HTTP answer cannot carry a stream: say where subscriptions run, start nothing.
				GraphQLError error = GraphqlErrorBuilder.newError()
					.message("Subscriptions run over the WebSocket at this path (graphql-transport-ws) or over HTTP with"
							+ " Accept: text/event-stream")
					.extensions(Map.of("code", "SUBSCRIPTION_NEEDS_STREAM"))
					.build();
				return response.transform((builder) -> builder.data(null).errors(List.of(error)));
			}
			@SuppressWarnings("unchecked")
			Publisher<Object> events = (Publisher<Object>) publisher;
			Tenant tenant = response.getExecutionInput().getGraphQLContext().get(CallerScope.TENANT);
			String tenantId = (tenant != null) ? tenant.id() : "";
			Flux<Object> limited = Flux.defer(() -> {
				AtomicInteger own = this.tenants.computeIfAbsent(tenantId, (id) -> new AtomicInteger());
				if (!take(own, this.properties.maxPerTenant())) {
					return refused("This tenant already holds " + this.properties.maxPerTenant()
							+ " subscriptions, as many as it may; complete one first");
				}
				if (connection != null && !take(connection, this.properties.maxPerConnection())) {
					own.decrementAndGet();
					return refused("This connection already holds " + this.properties.maxPerConnection()
							+ " subscriptions, as many as it may; complete one first");
				}
				return Flux.from(events).doFinally((signal) -> {
					own.decrementAndGet();
					if (connection != null) {
						connection.decrementAndGet();
					}
				});
			});
			return response.transform((builder) -> builder.data(limited));
		});
	}

	/**
	 * Whether the request reached the SSE transport: its {@code Accept} names {@code text/event-stream}
	 * and nothing the JSON transport, which is tried first, would take.
	 */
	private static boolean acceptsEventStream(WebGraphQlRequest request) {
		List<org.springframework.http.MediaType> accepted = request.getHeaders().getAccept();
		boolean stream = accepted.stream()
			.anyMatch((type) -> org.springframework.http.MediaType.TEXT_EVENT_STREAM.equalsTypeAndSubtype(type));
		boolean json = accepted.stream()
			.anyMatch((type) -> type.includes(org.springframework.http.MediaType.APPLICATION_JSON)
					|| type.includes(org.springframework.graphql.MediaTypes.APPLICATION_GRAPHQL_RESPONSE));
		return stream && !json;
	}

	/** Subscriptions the tenant holds now. */
	public int open(String tenant) {
		AtomicInteger count = this.tenants.get(tenant);
		return (count != null) ? count.get() : 0;
	}

	/** The subscription's end before it started: one error coded {@code TOO_MANY_SUBSCRIPTIONS}. */
	private static Flux<Object> refused(String message) {
		SubscriptionFailure failure = new SubscriptionFailure(SubscriptionFailure.TOO_MANY, message);
		GraphQLError error = GraphqlErrorBuilder.newError().message(message).extensions(Map.of("code", failure.code())).build();
		return Flux.error(new SubscriptionPublisherException(List.of(error), failure));
	}

	private static boolean take(AtomicInteger count, int max) {
		while (true) {
			int now = count.get();
			if (now >= max) {
				return false;
			}
			if (count.compareAndSet(now, now + 1)) {
				return true;
			}
		}
	}

}
