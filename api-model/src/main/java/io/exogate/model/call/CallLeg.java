package io.exogate.model.call;

import java.time.Duration;
import java.util.Objects;

/**
 * One leg of a call (v1 {@code details=true} or a status callback).
 *
 * @param id the leg number, 1 for the first party dialled
 * @param status normalized leg status
 * @param rawStatus the vendor's leg status, or {@code null} when none was reported
 * @param onCallDuration time this leg spent on the call, or {@code null} when unknown
 * @param answeredBy who answered ({@code human}, {@code HUMAN}, {@code NA}, ...), or {@code null}
 */
public record CallLeg(int id, CallStatus status, String rawStatus, Duration onCallDuration, String answeredBy) {

	public CallLeg {
		if (id < 1) {
			throw new IllegalArgumentException("Leg ids start at 1, got " + id);
		}
		Objects.requireNonNull(status, "status");
		if (onCallDuration != null && onCallDuration.isNegative()) {
			throw new IllegalArgumentException("On-call duration cannot be negative");
		}
	}

}
