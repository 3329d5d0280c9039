package io.exogate.gateway.events;

import java.util.Objects;

/**
 * What exogate learnt about one call from outside a client's request, such as an Exotel status
 * callback: enough to wake the subscriptions and caches that care about that call.
 *
 * @param account the Exotel account the call belongs to
 * @param callSid the call
 * @param terminal whether the call has ended
 * @param recordingAvailable whether the report carried a recording URL
 */
public record CallEvent(String account, String callSid, boolean terminal, boolean recordingAvailable) {

	public CallEvent {
		Objects.requireNonNull(account, "account");
		Objects.requireNonNull(callSid, "callSid");
	}

}
