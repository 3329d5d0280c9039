package io.exogate.gateway.limits;

import io.exogate.model.port.Deadline;
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
public class RequestDeadline implements WebGraphQlInterceptor {

	private final RequestLimits limits;

	public RequestDeadline(RequestLimits limits) {
		this.limits = limits;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		Sinks.Empty<Void> abandoned = Sinks.empty();
		return chain.next(request)
			.contextWrite((context) -> Deadline.after(this.limits.deadline(), abandoned.asMono()).writeTo(context))
			.doOnCancel(abandoned::tryEmitEmpty);
	}

}
