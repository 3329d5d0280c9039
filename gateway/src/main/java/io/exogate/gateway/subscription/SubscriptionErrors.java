package io.exogate.gateway.subscription;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.exogate.gateway.logging.Disconnects;
import io.exogate.gateway.logging.LogLimiter;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.RateLimitedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;

/**
 * The error a subscription ends with, coded as every other GraphQL error of the gateway: the model's
 * typed errors by their code ({@code NOT_FOUND}, {@code BAD_REQUEST}, ...), a {@link SubscriptionFailure}
 * by its own, anything else {@code INTERNAL_ERROR} without details (logged once a minute per kind).
 */
public final class SubscriptionErrors extends SubscriptionExceptionResolverAdapter {

	private static final Logger logger = LoggerFactory.getLogger(SubscriptionErrors.class);

	private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));

	public SubscriptionErrors() {
		setThreadLocalContextAware(false);
	}

	@Override
	protected GraphQLError resolveToSingleError(Throwable error) {
		Map<String, Object> extensions = new LinkedHashMap<>();
		String message;
		if (error instanceof SubscriptionFailure failure) {
			extensions.put("code", failure.code());
			message = failure.getMessage();
		}
		else if (error instanceof ExogateException exogate) {
			extensions.put("code", exogate.code());
			if (exogate instanceof RateLimitedException limited) {
				extensions.put("retryAfterSeconds", limited.retryAfterSeconds());
			}
			message = exogate.getMessage();
		}
		else if (Disconnects.isDisconnect(error)) {
			logger.debug("A subscription stopped: the client went away");
			extensions.put("code", "CANCELLED");
			message = "The subscription was cancelled";
		}
		else {
			long suppressed = this.limiter.tryAcquire(error.getClass().getName());
			if (suppressed >= 0) {
				logger.error("Unexpected failure of a subscription ({} more like it since the last report)", suppressed, error);
			}
			extensions.put("code", "INTERNAL_ERROR");
			message = "Something went wrong in exogate while serving this subscription";
		}
		return GraphqlErrorBuilder.newError().message(message).extensions(extensions).build();
	}

}
