package io.exogate.sandbox;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One generated call in the sandbox's own terms; each dialect renders it in its vocabulary.
 * Instants are whole seconds. {@code answeredAt} is {@code null} for calls nobody answered.
 * Numbers are held in E.164; {@code nationalNumbers} calls show them the national way in v1
 * ({@code 09812345678}), as Exotel's published v1 examples do.
 */
record SandboxCall(String sid, String accountSid, boolean inbound, String v1Direction, Outcome outcome,
		String v1StatusSpelling, Instant createdAt, Instant startedAt, Instant answeredAt, Instant endedAt,
		int ringSeconds, int talkSeconds, int holdSeconds, String customerNumber, String customerName, String agentId,
		String agentName, String agentNumber, String exophone, BigDecimal price, boolean numericFields,
		boolean emptyAsNull, boolean nationalNumbers, boolean recorded, String appId, String appName, String digits,
		String customField, String disposition) {

	/** Seconds from start to end. */
	int durationSeconds() {
		return (int) (this.endedAt.getEpochSecond() - this.startedAt.getEpochSecond());
	}

	/** Seconds both parties were bridged (talk and hold). */
	int conversationSeconds() {
		return this.talkSeconds + this.holdSeconds;
	}

	/** The number dialled first: the customer on inbound calls, the agent on outbound ones. */
	String from() {
		return this.inbound ? this.customerNumber : this.agentNumber;
	}

	/** The number dialled second. */
	String to() {
		return this.inbound ? this.agentNumber : this.customerNumber;
	}

	/** The v1 overall status as this call spells it (both {@code canceled} spellings occur). */
	String v1Status() {
		return this.v1StatusSpelling;
	}

	/** Length of the recording: the bridged part of the call. */
	int recordingSeconds() {
		return Math.max(1, conversationSeconds());
	}

	/** Where the call stands at {@code now}. */
	CallPhase phase(Instant now, java.time.Duration wrapUp) {
		if (now.isBefore(this.createdAt)) {
			return CallPhase.NOT_YET;
		}
		if (now.isBefore(this.endedAt)) {
			return (this.answeredAt != null && !now.isBefore(this.answeredAt)) ? CallPhase.IN_PROGRESS : CallPhase.RINGING;
		}
		if (now.isBefore(this.endedAt.plus(wrapUp))) {
			return CallPhase.WRAPPING_UP;
		}
		return CallPhase.TERMINAL;
	}

	/** The recording's state at {@code now}: "available", "processing" or "not_available". */
	String recordingState(Instant now, java.time.Duration processingDelay) {
		if (!this.recorded || now.isBefore(this.endedAt)) {
			return "not_available";
		}
		return now.isBefore(this.endedAt.plus(processingDelay)) ? "processing" : "available";
	}

	/** Phases of a call's life. */
	enum CallPhase {

		NOT_YET, RINGING, IN_PROGRESS, WRAPPING_UP, TERMINAL;

		boolean isLive() {
			return this == RINGING || this == IN_PROGRESS;
		}

		boolean isActive() {
			return this == RINGING || this == IN_PROGRESS || this == WRAPPING_UP;
		}

	}

}
