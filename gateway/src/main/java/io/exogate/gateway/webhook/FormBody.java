package io.exogate.gateway.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A form-encoded body read strictly: every name once, bounded names and values, valid percent-encoding. */
final class FormBody {

	/** The most fields a callback may carry. */
	static final int MAX_FIELDS = 64;

	/** The longest field name. */
	static final int MAX_NAME = 64;

	/** The longest field value. */
	static final int MAX_VALUE = 2048;

	private FormBody() {
	}

	/**
	 * The fields of a body, or an {@link IllegalArgumentException} whose message says what is wrong
	 * without quoting a value.
	 */
	static Map<String, String> parse(String body) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (body.isEmpty()) {
			return fields;
		}
		for (String pair : body.split("&", -1)) {
			if (pair.isEmpty()) {
				continue;
			}
			if (fields.size() == MAX_FIELDS) {
				throw new IllegalArgumentException("the form has more than " + MAX_FIELDS + " fields");
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch((c) -> c < 0x21 || c > 0x7e)) {
				throw new IllegalArgumentException("a field name is empty, longer than " + MAX_NAME
						+ " characters or not printable ASCII");
			}
			if (value.length() > MAX_VALUE) {
				throw new IllegalArgumentException("field " + name + " is longer than " + MAX_VALUE + " characters");
			}
			if (value.chars().anyMatch((c) -> c < 0x20 && c != '\t')) {
				throw new IllegalArgumentException("field " + name + " holds control characters");
			}
			if (fields.putIfAbsent(name, value) != null) {
				throw new IllegalArgumentException("field " + name + " appears more than once");
			}
		}
		return fields;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("the form's percent-encoding is invalid");
		}
	}

}
