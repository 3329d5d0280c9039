package io.exogate.exotel;

import io.exogate.model.error.UpstreamUnavailableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON mapper for Exotel's wire formats: lenient on unknown fields, scalars coerced to strings. */
public final class WireJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private WireJson() {
	}

	/** Parses a body; an unreadable one is {@link UpstreamUnavailableException}, never a parser exception. */
	public static JsonNode read(String body) {
		try {
			return MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw unreadable(ex);
		}
	}

	/** Reads a body as a wire type; an unreadable one is {@link UpstreamUnavailableException}. */
	public static <T> T read(String body, Class<T> type) {
		try {
			T value = MAPPER.readValue(body, type);
			if (value == null) {
				throw new UpstreamUnavailableException("Exotel answered with an empty body");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw unreadable(ex);
		}
	}

	private static UpstreamUnavailableException unreadable(JacksonException ex) {
		return new UpstreamUnavailableException("Exotel answered something that is not the expected JSON", ex);
	}

	public static String write(Object value) {
		return MAPPER.writeValueAsString(value);
	}

}
