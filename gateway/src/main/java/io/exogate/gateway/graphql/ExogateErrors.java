package io.exogate.gateway.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.RateLimitedException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * Turns the model's typed errors into GraphQL errors with {@code extensions.code}
 * ({@code NOT_FOUND}, {@code UNAUTHENTICATED}, {@code RATE_LIMITED} with {@code retryAfterSeconds},
 * {@code UPSTREAM_UNAVAILABLE}, {@code BAD_REQUEST}); the rest of the response keeps what resolved.
 * Anything unexpected is logged and answered as {@code INTERNAL_ERROR} without details.
 */
@Component
public class ExogateErrors extends DataFetcherExceptionResolverAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ExogateErrors.class);

	public ExogateErrors() {
		setThreadLocalContextAware(false);
	}

	@Override
	protected GraphQLError resolveToSingleError(Throwable error, DataFetchingEnvironment environment) {
		Throwable cause = unwrap(error);
		Map<String, Object> extensions = new LinkedHashMap<>();
		String message;
		if (cause instanceof ExogateException exogate) {
			extensions.put("code", exogate.code());
			if (exogate instanceof RateLimitedException limited) {
				extensions.put("retryAfterSeconds", limited.retryAfterSeconds());
			}
			message = exogate.getMessage();
		}
		else if (cause instanceof IllegalArgumentException) {
			extensions.put("code", "BAD_REQUEST");
			message = cause.getMessage();
		}
		else {
			logger.error("Unexpected failure resolving {}", environment.getExecutionStepInfo().getPath(), cause);
			extensions.put("code", "INTERNAL_ERROR");
			message = "Something went wrong in exogate while resolving this field";
		}
		return GraphqlErrorBuilder.newError(environment).message(message).extensions(extensions).build();
	}

	private static Throwable unwrap(Throwable error) {
		Throwable current = error;
		while ((current instanceof java.util.concurrent.CompletionException
				|| current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
