package io.exogate.sandbox;

/** A request the sandbox refuses, with the status and message Exotel would answer. */
final class ApiError extends RuntimeException {

	final int status;

	ApiError(int status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	static ApiError badRequest(String message) {
		return new ApiError(400, message);
	}

	static ApiError notFound(String message) {
		return new ApiError(404, message);
	}

}
