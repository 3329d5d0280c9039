package io.exogate.gateway.http;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.introspection.IntrospectionDisabledError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.language.SourceLocation;
import graphql.validation.ValidationError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Gives the request errors graphql-java raises before execution an {@code extensions.code}:
 * {@code GRAPHQL_PARSE_FAILED} for a document that does not parse, {@code GRAPHQL_VALIDATION_FAILED}
 * for one that fails validation against the schema, and {@code BAD_REQUEST} for the other request
 * errors (variable values that do not coerce, an unknown or missing operation name). The messages
 * are bounded and free of control characters; {@code classification} and locations stay.
 */
public final class RequestErrorCodes implements WebGraphQlInterceptor, Ordered {

	/** The code of a schema query when introspection is off. */
	static final String INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED";

	static final String PARSE_FAILED = "GRAPHQL_PARSE_FAILED";

	static final String VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";

	private static final int MAX_MESSAGE = 300;

	private static final Pattern VALIDATION_PREFIX = Pattern.compile("^Validation error \\([^)]*\\) ?: ?");

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).map(RequestErrorCodes::coded);
	}

	static WebGraphQlResponse coded(WebGraphQlResponse response) {
		ExecutionResult result = response.getExecutionResult();
		if (result.isDataPresent() || result.getErrors().isEmpty()) {
			return response;
		}
		List<GraphQLError> errors = result.getErrors().stream().map(RequestErrorCodes::coded).toList();
		return response.transform((builder) -> builder.errors(errors));
	}

	private static GraphQLError coded(GraphQLError error) {
		Map<String, Object> extensions = (error.getExtensions() != null) ? new LinkedHashMap<>(error.getExtensions())
				: new LinkedHashMap<>();
		String message;
		if (error instanceof InvalidSyntaxError syntax) {
			extensions.put("code", PARSE_FAILED);
			message = parseMessage(syntax);
		}
		else if (error instanceof ValidationError validation) {
			extensions.put("code", VALIDATION_FAILED);
			message = ClientText.excerpt(validationMessage(validation), MAX_MESSAGE);
		}
		else if (extensions.get("code") == null && error instanceof IntrospectionDisabledError) {
			extensions.put("code", INTROSPECTION_DISABLED);
			message = "Introspection is switched off on this gateway (exogate.security.introspection)";
		}
		else if (extensions.get("code") == null) {
			extensions.put("code", Refusal.BAD_REQUEST);
			message = ClientText.excerpt(error.getMessage(), MAX_MESSAGE);
		}
		else {
			return error;
		}
		GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError().message(message).extensions(extensions)
			.errorType(error.getErrorType());
		if (error.getLocations() != null && !error.getLocations().isEmpty()) {
			builder.locations(error.getLocations());
		}
		if (error.getPath() != null) {
			builder.path(error.getPath());
		}
		return builder.build();
	}

	/** The rule's own sentence, without the "Validation error (Rule@[path]) :" prefix. */
	private static String validationMessage(ValidationError error) {
		String description = (error.getDescription() != null) ? error.getDescription() : error.getMessage();
		if (description == null || description.isBlank()) {
			return "The document is not valid for this schema.";
		}
		return VALIDATION_PREFIX.matcher(description).replaceFirst("");
	}

	private static String parseMessage(InvalidSyntaxError error) {
		StringBuilder message = new StringBuilder("The document could not be parsed as GraphQL");
		String token = error.getOffendingToken();
		if ("<EOF>".equals(token)) {
			message.append(": it ends too early");
		}
		else if (token != null && !token.isEmpty()) {
			message.append(" near '").append(ClientText.excerpt(token, 40)).append('\'');
		}
		List<SourceLocation> locations = error.getLocations();
		if (locations != null && !locations.isEmpty() && locations.get(0) != null) {
			SourceLocation at = locations.get(0);
			message.append(" (line ").append(at.getLine()).append(", column ").append(at.getColumn()).append(')');
		}
		return message.append('.').toString();
	}

}
