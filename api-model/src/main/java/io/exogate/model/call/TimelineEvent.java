package io.exogate.model.call;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on a call's timeline (v4), such as {@code agent_answered} or {@code call_bridged}.
 *
 * @param type the vendor's event name, kept as reported
 * @param at when it happened
 */
public record TimelineEvent(String type, Instant at) {

	public TimelineEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(at, "at");
	}

}
