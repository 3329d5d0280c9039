package io.exogate.gateway.http;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks that a request body is a GraphQL-over-HTTP request: a JSON object with a string {@code query}
 * (or, in its place, a persisted document named by a string {@code extensions.persistedQuery.sha256Hash}
 * or {@code documentId}), and, when present and not null, a string {@code operationName} and object
 * {@code variables} and {@code extensions}. Other members are left to the handler, which ignores them.
 * What a document itself must meet on every transport is {@link #checkDocument}.
 */
public final class RequestBodyCheck {

	private static final Refusal LONG_NUMBER = Refusal.badRequest("The document holds a number of more than "
			+ RequestBodyCheck.MAX_NUMBER_DIGITS + " digits; no argument takes one.");

	private static final String SEND = "send a JSON object with the GraphQL document in a \"query\" string.";

	private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

	/** The refusal for this body, or {@code null} when it is a well-formed request. */
	Refusal check(byte[] body) {
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (StreamConstraintsException ex) {
			return Refusal.badRequest("The request body goes beyond the JSON limits of the GraphQL endpoint (nesting depth or the length of a number, name or string)" + at(ex) + ".");
		}
		catch (JacksonException ex) {
			return Refusal.badRequest("The request body is not valid JSON" + at(ex) + "; " + SEND);
		}
		if (root == null || root.isMissingNode()) {
			return Refusal.badRequest("The request body is empty; " + SEND);
		}
		if (!root.isObject()) {
			return Refusal.badRequest("The request body is " + kind(root) + ", not a JSON object; " + SEND);
		}
		JsonNode query = root.get("query");
		if (query == null || query.isNull()) {
			if (!namesPersistedDocument(root)) {
				return Refusal.badRequest("The request has no \"query\" (nor a persisted document's \"documentId\" or "
						+ "extensions.persistedQuery.sha256Hash); " + SEND);
			}
		}
		else if (!query.isString()) {
			return Refusal.badRequest("\"query\" must be a string holding the GraphQL document, not " + kind(query) + ".");
		}
		else if (hasLongNumber(query.asString())) {
			return LONG_NUMBER;
		}
		JsonNode operationName = root.get("operationName");
		if (operationName != null && !operationName.isNull() && !operationName.isString()) {
			return Refusal.badRequest("\"operationName\" must be a string or null, not " + kind(operationName) + ".");
		}
		for (String member : new String[] { "variables", "extensions" }) {
			JsonNode value = root.get(member);
			if (value != null && !value.isNull() && !value.isObject()) {
				return Refusal.badRequest("\"" + member + "\" must be a JSON object or null, not " + kind(value) + ".");
			}
		}
		return null;
	}

	/** Whether the body names a stored document instead of sending one; the persisted-documents filter resolves it. */
	private static boolean namesPersistedDocument(JsonNode root) {
		return root.path("extensions").path("persistedQuery").path("sha256Hash").isString()
				|| root.path("documentId").isString();
	}

	/**
	 * The refusal ({@code BAD_REQUEST}) of a document holding a number of more than
	 * {@value #MAX_NUMBER_DIGITS} digits, or {@code null} when it holds none: checked on the document
	 * posted over HTTP here, and on one sent over the WebSocket before it runs.
	 */
	public static Refusal checkDocument(String document) {
		return hasLongNumber(document) ? LONG_NUMBER : null;
	}

	/** Longer numeric literals only cost parsing: no argument of the schema takes one. */
	static final int MAX_NUMBER_DIGITS = 40;

	/**
	 * Whether a number literal of more than {@link #MAX_NUMBER_DIGITS} digits stands in the document:
	 * one pass, no backtracking; digits inside strings, block strings and comments are text, not numbers.
	 */
	static boolean hasLongNumber(String document) {
		int run = 0;
		int length = document.length();
		for (int i = 0; i < length; i++) {
			char c = document.charAt(i);
			if (c == '#') {
				while (i < length && document.charAt(i) != '\n' && document.charAt(i) != '\r') {
					i++;
				}
				run = 0;
			}
			else if (c == '"') {
				boolean block = document.startsWith("\"\"\"", i);
				i += block ? 3 : 1;
				while (i < length) {
					char inside = document.charAt(i);
					if (block && document.startsWith("\"\"\"", i)) {
						i += 2;
						break;
					}
					if (!block && inside == '"') {
						break;
					}
					if (inside == '\\') {
						i++;
					}
					else if (!block && (inside == '\n' || inside == '\r')) {
						break;
					}
					i++;
				}
				run = 0;
			}
			else if ((c == 'e' || c == 'E') && i > 0 && (Character.isDigit(document.charAt(i - 1)) || document.charAt(i - 1) == '.')) {
				// A number's exponent: its digits are counted as a number of their own.
				run = 0;
			}
			else if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
				// A name: its digits are part of it.
				while (i + 1 < length && nameCharacter(document.charAt(i + 1))) {
					i++;
				}
				run = 0;
			}
			else {
				run = Character.isDigit(c) ? run + 1 : 0;
				if (run > MAX_NUMBER_DIGITS) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean nameCharacter(char c) {
		return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	}

	private static String at(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

	private static String kind(JsonNode node) {
		return switch (node.getNodeType()) {
			case NULL -> "null";
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			case STRING -> "a string";
			case NUMBER -> "a number";
			case BOOLEAN -> "a boolean";
			default -> "a value of another kind";
		};
	}

}
