package io.exogate.gateway.limits;

import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.model.port.Deadline;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import java.time.Duration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Gives each GraphQL request its {@link Deadline}, which every upstream request made for it honours,
 * and tells the upstream work when the client goes away, so that it stops there. A subscription has
 * none: it lasts while its client wants it, and each poll made for it has its own.
 */
@Component
public class RequestDeadline implements WebGraphQlInterceptor, Ordered {

	private final RequestLimits limits;

	public RequestDeadline(RequestLimits limits) {
		this.limits = limits;
	}

	/** Whether the request runs a subscription operation (a document that does not parse is left to GraphQL). */
	static boolean subscription(WebGraphQlRequest request) {
		String document = request.getDocument();
		if (document == null || !document.contains("subscription")) {
			return false;
		}
		try {
			List<OperationDefinition> operations = Parser.parse(document).getDefinitionsOfType(OperationDefinition.class);
			String name = request.getOperationName();
			return operations.stream()
				.filter((operation) -> (name != null) ? name.equals(operation.getName()) : operations.size() == 1)
				.anyMatch((operation) -> operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The gateway's deadline, or the tenant's when it is shorter. */
	Duration deadline(Object tenant) {
		Duration own = (tenant instanceof Tenant scoped) ? scoped.limits().deadline() : null;
		return (own != null && own.compareTo(this.limits.deadline()) < 0) ? own : this.limits.deadline();
	}

	/** After the caller's tenant is known ({@link CallerScope}), whose own deadline may be shorter. */
	@Override
	public int getOrder() {
		return CallerScope.ORDER + 10;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (subscription(request)) {
			// A subscription lives as long as its client wants it: each of its pollers' requests has a
			// deadline of its own, and each update's field lookups the adapters' timeouts.
			return chain.next(request);
		}
		Sinks.Empty<Void> abandoned = Sinks.empty();
		return chain.next(request)
			.contextWrite((context) -> Deadline.after(deadline(context.getOrDefault(CallerScope.TENANT, null)), abandoned.asMono())
				.writeTo(context))
			.doOnCancel(abandoned::tryEmitEmpty);
	}

}
