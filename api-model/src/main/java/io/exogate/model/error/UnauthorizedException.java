package io.exogate.model.error;

/** Exotel refused the configured credentials (HTTP 401), or the caller may not use this account. */
public final class UnauthorizedException extends ExogateException {

	public UnauthorizedException(String message) {
		super(message, null);
	}

	@Override
	public String code() {
		return "UNAUTHENTICATED";
	}

}
