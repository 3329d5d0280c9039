package io.exogate.gateway.limits;

import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.model.port.Deadline;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Gives each GraphQL request its {@link Deadline}, which every upstream request made for it honours,
 * and tells the upstream work when the client goes away, so that it stops there.
 */
@Component
public class RequestDeadline implements WebGraphQlInterceptor, Ordered {

	private final RequestLimits limits;

	public RequestDeadline(RequestLimits limits) {
		this.limits = limits;
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
		Sinks.Empty<Void> abandoned = Sinks.empty();
		return chain.next(request)
			.contextWrite((context) -> Deadline.after(deadline(context.getOrDefault(CallerScope.TENANT, null)), abandoned.asMono())
				.writeTo(context))
			.doOnCancel(abandoned::tryEmitEmpty);
	}

}
