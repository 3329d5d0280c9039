package io.exogate.gateway.http;

import org.springframework.http.HttpStatus;

/**
 * Why a request to the GraphQL endpoint is turned away before any GraphQL work: the HTTP status,
 * the {@code extensions.code} and a message in our own words. Filters outside this package build
 * their own (a status of 200 where the client is expected to act on the code and send again).
 */
public record Refusal(HttpStatus status, String code, String message) {

	static final String BAD_REQUEST = "BAD_REQUEST";

	static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

	static final String NOT_ACCEPTABLE = "NOT_ACCEPTABLE";

	static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";

	static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";

	public static Refusal badRequest(String message) {
		return new Refusal(HttpStatus.BAD_REQUEST, BAD_REQUEST, message);
	}

	static Refusal methodNotAllowed(String method) {
		return new Refusal(HttpStatus.METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED,
				"The GraphQL endpoint accepts POST only, not " + ClientText.excerpt(method, 20) + ".");
	}

	static Refusal notAcceptable() {
		return new Refusal(HttpStatus.NOT_ACCEPTABLE, NOT_ACCEPTABLE,
				"The GraphQL endpoint answers application/graphql-response+json or application/json; the Accept header allows neither.");
	}

	static Refusal unsupportedMediaType(String message) {
		return new Refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE, message);
	}

	static Refusal tooLarge(int maxBytes) {
		return new Refusal(HttpStatus.PAYLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE,
				"The request body is larger than the " + maxBytes + " bytes the GraphQL endpoint accepts.");
	}

}
