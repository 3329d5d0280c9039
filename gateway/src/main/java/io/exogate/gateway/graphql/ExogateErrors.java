package io.exogate.gateway.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.gateway.logging.Disconnects;
import io.exogate.gateway.logging.LogLimiter;
import java.time.Duration;
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
 * Anything unexpected is answered as {@code INTERNAL_ERROR} without details (no library message or
 * class name reaches a client) and logged once a minute per kind; a client that went away is
 * logged at DEBUG only.
 */
@Component
public class ExogateErrors extends DataFetcherExceptionResolverAdapter {

	private static final Logger logger = LoggerFactory.getLogger(ExogateErrors.class);

	private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));

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
		else if (Disconnects.isDisconnect(cause)) {
			logger.debug("Resolving {} stopped: the client went away", environment.getExecutionStepInfo().getPath());
			extensions.put("code", "CANCELLED");
			message = "The request was cancelled";
		}
		else {
			long suppressed = this.limiter.tryAcquire(cause.getClass().getName());
			if (suppressed >= 0) {
				logger.error("Unexpected failure resolving {} ({} more like it since the last report)",
						environment.getExecutionStepInfo().getPath(), suppressed, cause);
			}
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
