package io.exogate.sandbox;

/** How a generated call ended, and how each Exotel dialect names that ending. */
enum Outcome {

	COMPLETED(null, "completed", "completed", "completed", "completed", "completed", true),
	BUSY(Boolean.FALSE, "busy", "completed", "busy", "to_leg_unanswered", "busy", false),
	NO_ANSWER(Boolean.FALSE, "no-answer", "completed", "no-answer", "to_leg_unanswered", "missed", false),
	AGENT_CANCELED(Boolean.FALSE, "failed", "completed", "canceled", "from_leg_cancelled", "failed", false),
	FAILED(null, "failed", "failed", "failed", "to_leg_no_dial", "failed", false),
	MISSED(Boolean.TRUE, "no-answer", "completed", "no-answer", "to_leg_unanswered", "missed", false),
	ABANDONED(Boolean.TRUE, "canceled", "canceled", "canceled", "from_leg_cancelled", "abandoned", false);

	/** {@code TRUE} inbound only, {@code FALSE} outbound only, {@code null} either. */
	final Boolean inbound;

	final String v1Status;

	final String leg1Status;

	final String leg2Status;

	final String v3Status;

	final String v4Status;

	final boolean connected;

	Outcome(Boolean inbound, String v1Status, String leg1Status, String leg2Status, String v3Status, String v4Status,
			boolean connected) {
		this.inbound = inbound;
		this.v1Status = v1Status;
		this.leg1Status = leg1Status;
		this.leg2Status = leg2Status;
		this.v3Status = v3Status;
		this.v4Status = v4Status;
		this.connected = connected;
	}

}
