package io.exogate.model.error;

/**
 * The typed failures a port can signal. Messages are written for the person who sent the request
 * and never carry credentials, tokens or signed query strings.
 */
public abstract sealed class ExogateException extends RuntimeException
		permits NotFoundException, UnauthorizedException, RateLimitedException, BadRequestException,
		UpstreamUnavailableException {

	protected ExogateException(String message, Throwable cause) {
		super(message, cause);
	}

	/** A stable machine-readable code, used as the GraphQL {@code extensions.code}. */
	public abstract String code();

}
