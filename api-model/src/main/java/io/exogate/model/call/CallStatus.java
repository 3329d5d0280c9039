package io.exogate.model.call;

import java.util.Map;

/**
 * One normalized vocabulary for call status across v1, v3 and v4.
 * <p>
 * Every mapper keeps the raw vendor value beside the normalized one, so nothing is lost when a
 * vocabulary grows: a value never seen before maps to {@link #UNKNOWN}. The mapping table lives in
 * the project README ("Status and direction mapping"); {@code CallStatusMappingTableTest} checks
 * that table row for row against these methods.
 */
public enum CallStatus {

	/** Accepted by Exotel, not yet dialling. */
	QUEUED,

	/** A party is being rung. */
	RINGING,

	/** The call is live, or wrapping up before its final status is known. */
	IN_PROGRESS,

	/** Connected and ended normally. */
	COMPLETED,

	/** A party was busy. */
	BUSY,

	/** The customer (to-leg) did not answer. */
	NO_ANSWER,

	/** The agent (from-leg) did not answer an inbound or agent-first call. */
	MISSED,

	/** The customer hung up before an agent was connected. */
	ABANDONED,

	/** The call was canceled before it connected. */
	CANCELED,

	/** Exotel could not place or bridge the call. */
	FAILED,

	/** A vendor value exogate does not know yet; the raw value is kept beside it. */
	UNKNOWN;

	private static final Map<String, CallStatus> V1 = Map.of(
			"queued", QUEUED,
			"ringing", RINGING,
			"in-progress", IN_PROGRESS,
			"completed", COMPLETED,
			"failed", FAILED,
			"busy", BUSY,
			"no-answer", NO_ANSWER,
			"canceled", CANCELED,
			"cancelled", CANCELED);

	private static final Map<String, CallStatus> V3 = Map.of(
			"completed", COMPLETED,
			"from_leg_unanswered", MISSED,
			"agent_unanswered", MISSED,
			"to_leg_unanswered", NO_ANSWER,
			"from_leg_cancelled", CANCELED,
			"from_leg_canceled", CANCELED,
			"to_leg_no_dial", FAILED,
			"from_leg_no_dial", FAILED);

	private static final Map<String, CallStatus> V4 = Map.of(
			"completed", COMPLETED,
			"missed", MISSED,
			"abandoned", ABANDONED,
			"failed", FAILED,
			"busy", BUSY);

	/**
	 * Maps a v1 {@code Status}, {@code Leg1Status} or {@code Leg2Status} value, in either
	 * {@code canceled} spelling; case and surrounding blanks are ignored.
	 */
	public static CallStatus fromV1(String raw) {
		return lookup(V1, raw);
	}

	/**
	 * Maps a v3 call's {@code state} and {@code status}. While {@code state} is {@code active} the
	 * status is {@code null} and the call is {@link #IN_PROGRESS}.
	 */
	public static CallStatus fromV3(String state, String status) {
		String normalizedStatus = Vocabulary.normalize(status);
		if (normalizedStatus == null) {
			return "active".equals(Vocabulary.normalize(state)) ? IN_PROGRESS : UNKNOWN;
		}
		return V3.getOrDefault(normalizedStatus, UNKNOWN);
	}

	/** Maps a v4 voicelog {@code status}. */
	public static CallStatus fromV4(String raw) {
		return lookup(V4, raw);
	}

	/** Whether a call in this status may still change: it is not in Exotel's call history yet. */
	public boolean isOngoing() {
		return this == QUEUED || this == RINGING || this == IN_PROGRESS;
	}

	/** The v1, v3 and v4 vocabularies, keyed by API name; for the mapping-table tests. */
	static Map<String, Map<String, CallStatus>> vocabularies() {
		return Map.of("v1", V1, "v3", V3, "v4", V4);
	}

	private static CallStatus lookup(Map<String, CallStatus> vocabulary, String raw) {
		String key = Vocabulary.normalize(raw);
		return (key != null) ? vocabulary.getOrDefault(key, UNKNOWN) : UNKNOWN;
	}

}
