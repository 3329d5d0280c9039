package io.exogate.model.call;

import java.util.Map;

/**
 * Normalized call direction. v1 distinguishes how an outbound call was placed
 * ({@code outbound-dial} from the dashboard or connect applet, {@code outbound-api} from the API);
 * both are {@link #OUTBOUND}, and the raw value stays on the {@link Call}.
 */
public enum CallDirection {

	/** The customer called an ExoPhone. */
	INBOUND,

	/** The call was placed to the customer. */
	OUTBOUND,

	/** A vendor value exogate does not know yet; the raw value is kept beside it. */
	UNKNOWN;

	private static final Map<String, CallDirection> V1 = Map.of(
			"inbound", INBOUND,
			"outbound-dial", OUTBOUND,
			"outbound-api", OUTBOUND);

	private static final Map<String, CallDirection> V3_V4 = Map.of(
			"inbound", INBOUND,
			"outbound", OUTBOUND);

	/** Maps a v1 {@code Direction} value; case and surrounding blanks are ignored. */
	public static CallDirection fromV1(String raw) {
		return lookup(V1, raw);
	}

	/** Maps a v3 {@code direction} value. */
	public static CallDirection fromV3(String raw) {
		return lookup(V3_V4, raw);
	}

	/** Maps a v4 {@code direction} value. */
	public static CallDirection fromV4(String raw) {
		return lookup(V3_V4, raw);
	}

	/** The v1, v3 and v4 vocabularies, keyed by API name; for the mapping-table tests. */
	static Map<String, Map<String, CallDirection>> vocabularies() {
		return Map.of("v1", V1, "v3", V3_V4, "v4", V3_V4);
	}

	private static CallDirection lookup(Map<String, CallDirection> vocabulary, String raw) {
		String key = Vocabulary.normalize(raw);
		return (key != null) ? vocabulary.getOrDefault(key, UNKNOWN) : UNKNOWN;
	}

}
