package io.exogate.model.error;

/** The call, recording or account asked for does not exist (or is not visible to these credentials). */
public final class NotFoundException extends ExogateException {

	public NotFoundException(String message) {
		super(message, null);
	}

	@Override
	public String code() {
		return "NOT_FOUND";
	}

}
