package io.exogate.gateway.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.exogate.gateway.logging.LogLimiter;
import io.exogate.model.error.ExogateException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.stereotype.Component;

/**
 * Errors that end a subscription's stream, answered as {@link ExogateErrors} answers the others:
 * a known error keeps its message and {@code code} ({@code NOT_FOUND}, ...); anything else is
 * {@code INTERNAL_ERROR} without details, logged once a minute per kind.
 */
@Component
public class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionErrors.class);

	private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));

	public SubscriptionErrors() {
		setThreadLocalContextAware(false);
	}

	@Override
	protected GraphQLError resolveToSingleError(Throwable error) {
		if (error instanceof ExogateException exogate) {
			return GraphqlErrorBuilder.newError().message(exogate.getMessage()).extensions(Map.of("code", exogate.code())).build();
		}
		long suppressed = this.limiter.tryAcquire(error.getClass().getName());
		if (suppressed >= 0) {
			logger.error("Unexpected failure in a subscription ({} more like it since the last report)", suppressed, error);
		}
		return GraphqlErrorBuilder.newError()
			.message("Something went wrong in exogate while following this subscription")
			.extensions(Map.of("code", "INTERNAL_ERROR"))
			.build();
	}

}
