package io.exogate.model.error;

/** The request cannot be honoured as asked; the message says what to change. */
public final class BadRequestException extends ExogateException {

	public BadRequestException(String message) {
		super(message, null);
	}

	@Override
	public String code() {
		return "BAD_REQUEST";
	}

}
