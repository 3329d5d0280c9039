package io.exogate.exotel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an encoded query string. Every value is percent-encoded whole, so ';', ',', ':', '&',
 * '=', '+' and '/' inside a value can never become an operator, a parameter or a path segment.
 */
public final class QueryString {

	private final Map<String, String> parameters = new LinkedHashMap<>();

	public QueryString with(String name, Object value) {
		if (value != null) {
			this.parameters.put(name, value.toString());
		}
		return this;
	}

	/** A copy to add more parameters to. */
	public QueryString copy() {
		QueryString copy = new QueryString();
		copy.parameters.putAll(this.parameters);
		return copy;
	}

	public QueryString withAll(Map<String, String> values) {
		values.forEach(this::with);
		return this;
	}

	/** {@code path?a=1&b=2}, or the path alone when there are no parameters. */
	public String appendTo(String path) {
		if (this.parameters.isEmpty()) {
			return path;
		}
		StringBuilder result = new StringBuilder(path).append('?');
		this.parameters.forEach((name, value) -> result.append((result.charAt(result.length() - 1) == '?') ? "" : "&")
			.append(encode(name))
			.append('=')
			.append(encode(value)));
		return result.toString();
	}

	/** Percent-encodes one path segment or value. */
	public static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("*", "%2A");
	}

}
