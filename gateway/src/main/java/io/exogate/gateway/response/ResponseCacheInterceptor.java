package io.exogate.gateway.response;

import io.exogate.gateway.response.ResponseCache.Entry;
import io.exogate.gateway.response.ResponseCache.Key;
import io.exogate.gateway.response.ResponseTicket.Issued;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.Tenants.Tenant;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Serves a kept answer before parsing, validation and execution, for the caller's own tenant only, and
 * writes the audit events its recordings would have written; otherwise hands the request on with a
 * {@link ResponseTicket} and offers the answer to the {@link ResponseCache}. HTTP only: subscriptions
 * over WebSocket are never kept.
 */
public final class ResponseCacheInterceptor implements WebGraphQlInterceptor, Ordered {

	/** After the caller and tenant are known (and the subscription limits), before the request's deadline is set. */
	public static final int ORDER = CallerScope.ORDER + 7;

	private final ResponseCache cache;

	private final Audit audit;

	public ResponseCacheInterceptor(ResponseCache cache, Audit audit) {
		this.cache = cache;
		this.audit = audit;
	}

	/** Writes the audit events the links of a kept answer would have written, for this caller. */
	static void audited(Audit audit, Caller caller, Entry answer) {
		for (Issued recording : answer.recordings()) {
			if (recording.urlExpiresAt() != null) {
				audit.recordingIssued(caller, recording.account(), recording.callSid(), recording.format(), recording.channel(),
						recording.via());
			}
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (request instanceof WebSocketGraphQlRequest || request.getDocument() == null) {
			return chain.next(request);
		}
		return Mono.deferContextual((context) -> {
			Tenant tenant = context.getOrDefault(CallerScope.TENANT, null);
			Caller caller = context.getOrDefault(CallerScope.CALLER, null);
			if (tenant == null || caller == null) {
				return chain.next(request);
			}
			Key key = new Key(tenant.id(), request.getDocument(), request.getOperationName(), request.getVariables());
			Entry hit = this.cache.lookup(key);
			if (hit != null) {
				audited(this.audit, caller, hit);
				ResponseBytes.tell(context, new ResponseBytes.Answer(key, hit));
				return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), hit.result())));
			}
			ResponseTicket ticket = this.cache.ticket();
			request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(ResponseTicket.KEY, ticket)).build());
			return chain.next(request).doOnNext((response) -> {
				Entry kept = this.cache.offer(key, ticket, response.getExecutionResult());
				if (kept != null) {
					ResponseBytes.tell(context, new ResponseBytes.Answer(key, kept));
				}
			});
		});
	}

}
