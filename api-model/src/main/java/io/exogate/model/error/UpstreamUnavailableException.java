package io.exogate.model.error;

/** Exotel did not answer usefully: a 5xx, a timeout, a refused connection or an open circuit. */
public final class UpstreamUnavailableException extends ExogateException {

	public UpstreamUnavailableException(String message) {
		super(message, null);
	}

	public UpstreamUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	@Override
	public String code() {
		return "UPSTREAM_UNAVAILABLE";
	}

}
