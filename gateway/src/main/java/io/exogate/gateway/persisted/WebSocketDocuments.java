package io.exogate.gateway.persisted;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import io.exogate.gateway.http.Refusal;
import io.exogate.gateway.http.RequestBodyCheck;
import io.exogate.gateway.security.CallerScope;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * The rules a document sent over the WebSocket meets before it runs, as one posted over HTTP does:
 * no number of more than 40 digits ({@code BAD_REQUEST}), and, in trusted-documents mode, its SHA-256
 * a key of the manifest ({@code OPERATION_NOT_TRUSTED}). Spring for GraphQL takes a {@code subscribe}
 * only with its document in {@code query}, so the text itself is what is checked: a hash named beside
 * it is not looked up, and nothing is registered. HTTP requests are {@link PersistedDocuments}' and
 * the request guard's.
 */
public final class WebSocketDocuments implements WebGraphQlInterceptor, Ordered {

	/** After the connection's caller is known and its request counted, as HTTP checks documents after Spring Security. */
	public static final int ORDER = CallerScope.ORDER + 1;

	private static final Logger logger = LoggerFactory.getLogger(WebSocketDocuments.class);

	private final TrustedDocuments trusted;

	/** @param trusted the manifest whose documents alone run, or {@code null} when any document may */
	WebSocketDocuments(TrustedDocuments trusted) {
		this.trusted = trusted;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest)) {
			return chain.next(request);
		}
		String document = request.getDocument();
		Refusal refusal = RequestBodyCheck.checkDocument(document);
		if (refusal != null) {
			return Mono.just(refusal(request, refusal.code(), refusal.message()));
		}
		if (this.trusted != null && this.trusted.find(DocumentHash.of(document)) == null) {
			return Mono.just(refusal(request, PersistedDocuments.NOT_TRUSTED, PersistedDocuments.NOT_TRUSTED_MESSAGE));
		}
		return chain.next(request);
	}

	/** An answer to a request that is not executed: one error, no data. */
	private static WebGraphQlResponse refusal(WebGraphQlRequest request, String code, String message) {
		if (logger.isDebugEnabled()) {
			logger.debug("WebSocket document refused: {}", code);
		}
		ExecutionResult result = ExecutionResult.newExecutionResult()
			.addError(GraphqlErrorBuilder.newError().message(message).extensions(Map.of("code", code)).build())
			.build();
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result));
	}

}
