package io.exogate.gateway.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Live subscriptions ({@code exogate.subscriptions.*}): how shared pollers watch Exotel, and how many
 * subscriptions a connection and a tenant may hold.
 *
 * @param recordingFirstPoll the wait before a recording's second poll; it doubles after each
 * @param recordingMaxPoll the longest wait between two polls of a recording
 * @param recordingMaxWait how long {@code recordingReady} waits for a recording before ending with an error
 * @param activeCallsInterval how often an account's live calls are polled while anyone watches them
 * @param eventDebounce call events for one watched call or account within this window wake its poller once
 * @param eventPollGap the least time between two polls that events wake in one poller (the latest event waits
 *        its turn, never lost); half the {@code active-calls-interval} when not set
 * @param maxPerConnection subscriptions one WebSocket connection may hold at a time
 * @param maxPerTenant subscriptions one tenant may hold at a time, over all its connections
 */
@ConfigurationProperties("exogate.subscriptions")
public record SubscriptionProperties(Duration recordingFirstPoll, Duration recordingMaxPoll, Duration recordingMaxWait,
		Duration activeCallsInterval, Duration eventDebounce, Duration eventPollGap, Integer maxPerConnection, Integer maxPerTenant) {

	public SubscriptionProperties {
		recordingFirstPoll = positive(recordingFirstPoll, Duration.ofSeconds(2), "recording-first-poll");
		recordingMaxPoll = positive(recordingMaxPoll, Duration.ofSeconds(30), "recording-max-poll");
		recordingMaxWait = positive(recordingMaxWait, Duration.ofMinutes(20), "recording-max-wait");
		activeCallsInterval = positive(activeCallsInterval, Duration.ofSeconds(5), "active-calls-interval");
		eventDebounce = positive(eventDebounce, Duration.ofMillis(250), "event-debounce");
		eventPollGap = positive(eventPollGap, activeCallsInterval.dividedBy(2), "event-poll-gap");
		maxPerConnection = atLeastOne(maxPerConnection, 20, "max-per-connection");
		maxPerTenant = atLeastOne(maxPerTenant, 500, "max-per-tenant");
		if (recordingMaxPoll.compareTo(recordingFirstPoll) < 0) {
			throw new IllegalArgumentException("exogate.subscriptions.recording-max-poll must not be shorter than recording-first-poll");
		}
	}

	/** The defaults. */
	public static SubscriptionProperties defaults() {
		return new SubscriptionProperties(null, null, null, null, null, null, null, null);
	}

	private static Duration positive(Duration value, Duration fallback, String name) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("exogate.subscriptions." + name + " must be positive");
		}
		return value;
	}

	private static int atLeastOne(Integer value, int fallback, String name) {
		if (value == null) {
			return fallback;
		}
		if (value < 1) {
			throw new IllegalArgumentException("exogate.subscriptions." + name + " must be at least 1");
		}
		return value;
	}

}
