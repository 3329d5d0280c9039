package io.exogate.gateway.http;

import java.util.List;
import java.util.Map;

/** The body of a refused request: a GraphQL response with one error and no {@code data}. */
record GraphQlErrorBody(List<Error> errors) {

	static GraphQlErrorBody of(Refusal refusal) {
		return new GraphQlErrorBody(List.of(new Error(refusal.message(), Map.of("code", refusal.code()))));
	}

	/** One GraphQL error: the message, and the code clients branch on. */
	record Error(String message, Map<String, String> extensions) {
	}

}
