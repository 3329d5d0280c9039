package io.exogate.exotel;

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

	public static JsonNode read(String body) {
		return MAPPER.readTree(body);
	}

	public static <T> T read(String body, Class<T> type) {
		return MAPPER.readValue(body, type);
	}

	public static <T> T convert(JsonNode node, Class<T> type) {
		return MAPPER.treeToValue(node, type);
	}

	public static String write(Object value) {
		return MAPPER.writeValueAsString(value);
	}

}
