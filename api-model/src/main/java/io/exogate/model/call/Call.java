package io.exogate.model.call;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One call, as the union of what Exotel's v1, v3 and v4 APIs report about it.
 * <p>
 * Instants are UTC. Every component but {@code sid}, {@code status}, {@code direction}, the lists
 * and {@code sources} may be {@code null}, meaning "not reported (yet)": {@code endedAt} is
 * {@code null} while a call is live or wrapping up, never a placeholder time.
 *
 * @param sid the call SID, the same in every API version
 * @param accountSid the Exotel account the call belongs to
 * @param direction normalized direction
 * @param rawDirection the vendor's direction value
 * @param status normalized status
 * @param rawStatus the vendor's status value
 * @param from the number dialled first
 * @param to the number dialled second
 * @param exophone the ExoPhone (virtual number) the call used
 * @param createdAt when Exotel created the call
 * @param startedAt when the call was started towards the operator
 * @param endedAt when the call ended; {@code null} while unknown
 * @param duration total call duration
 * @param talkTime time the parties talked (v4)
 * @param holdTime time on hold (v4)
 * @param conversationDuration time both parties were connected (v1 details)
 * @param price what the call cost
 * @param answeredBy who answered ({@code human}, {@code HUMAN}, {@code NA}, ...)
 * @param agent the contact-center agent (v4)
 * @param customer the customer (v4)
 * @param disposition the agent's disposition (v4)
 * @param customField the custom field attached to the call
 * @param app the call-flow app (v3)
 * @param digits DTMF digits collected (v3)
 * @param legs the call's legs, empty when not reported
 * @param timeline timeline events in order, empty when not reported
 * @param sources the API versions that contributed to this value
 */
public record Call(
		String sid,
		String accountSid,
		CallDirection direction,
		String rawDirection,
		CallStatus status,
		String rawStatus,
		String from,
		String to,
		String exophone,
		Instant createdAt,
		Instant startedAt,
		Instant endedAt,
		Duration duration,
		Duration talkTime,
		Duration holdTime,
		Duration conversationDuration,
		Money price,
		String answeredBy,
		Agent agent,
		Customer customer,
		String disposition,
		String customField,
		App app,
		String digits,
		List<CallLeg> legs,
		List<TimelineEvent> timeline,
		Set<ApiVersion> sources) {

	public Call {
		if (sid == null || sid.isBlank()) {
			throw new IllegalArgumentException("A call needs a SID");
		}
		Objects.requireNonNull(direction, "direction");
		Objects.requireNonNull(status, "status");
		requireNotNegative(duration, "duration");
		requireNotNegative(talkTime, "talkTime");
		requireNotNegative(holdTime, "holdTime");
		requireNotNegative(conversationDuration, "conversationDuration");
		legs = (legs != null) ? List.copyOf(legs) : List.of();
		timeline = (timeline != null) ? List.copyOf(timeline) : List.of();
		sources = (sources == null || sources.isEmpty()) ? Set.of() : Set.copyOf(EnumSet.copyOf(sources));
	}

	/** Starts a call with the given SID; status and direction default to {@link CallStatus#UNKNOWN}. */
	public static Builder builder(String sid) {
		return new Builder(sid);
	}

	private static void requireNotNegative(Duration value, String name) {
		if (value != null && value.isNegative()) {
			throw new IllegalArgumentException(name + " cannot be negative: " + value);
		}
	}

	/** Builds a {@link Call}; all values but the SID are optional. */
	public static final class Builder {

		private final String sid;
		private String accountSid;
		private CallDirection direction = CallDirection.UNKNOWN;
		private String rawDirection;
		private CallStatus status = CallStatus.UNKNOWN;
		private String rawStatus;
		private String from;
		private String to;
		private String exophone;
		private Instant createdAt;
		private Instant startedAt;
		private Instant endedAt;
		private Duration duration;
		private Duration talkTime;
		private Duration holdTime;
		private Duration conversationDuration;
		private Money price;
		private String answeredBy;
		private Agent agent;
		private Customer customer;
		private String disposition;
		private String customField;
		private App app;
		private String digits;
		private List<CallLeg> legs = List.of();
		private List<TimelineEvent> timeline = List.of();
		private Set<ApiVersion> sources = Set.of();

		private Builder(String sid) {
			this.sid = sid;
		}

		public Builder accountSid(String accountSid) {
			this.accountSid = accountSid;
			return this;
		}

		/** Sets the normalized and the raw direction together. */
		public Builder direction(CallDirection direction, String rawDirection) {
			this.direction = direction;
			this.rawDirection = rawDirection;
			return this;
		}

		/** Sets the normalized and the raw status together. */
		public Builder status(CallStatus status, String rawStatus) {
			this.status = status;
			this.rawStatus = rawStatus;
			return this;
		}

		public Builder from(String from) {
			this.from = from;
			return this;
		}

		public Builder to(String to) {
			this.to = to;
			return this;
		}

		public Builder exophone(String exophone) {
			this.exophone = exophone;
			return this;
		}

		public Builder createdAt(Instant createdAt) {
			this.createdAt = createdAt;
			return this;
		}

		public Builder startedAt(Instant startedAt) {
			this.startedAt = startedAt;
			return this;
		}

		public Builder endedAt(Instant endedAt) {
			this.endedAt = endedAt;
			return this;
		}

		public Builder duration(Duration duration) {
			this.duration = duration;
			return this;
		}

		public Builder talkTime(Duration talkTime) {
			this.talkTime = talkTime;
			return this;
		}

		public Builder holdTime(Duration holdTime) {
			this.holdTime = holdTime;
			return this;
		}

		public Builder conversationDuration(Duration conversationDuration) {
			this.conversationDuration = conversationDuration;
			return this;
		}

		public Builder price(Money price) {
			this.price = price;
			return this;
		}

		public Builder answeredBy(String answeredBy) {
			this.answeredBy = answeredBy;
			return this;
		}

		public Builder agent(Agent agent) {
			this.agent = agent;
			return this;
		}

		public Builder customer(Customer customer) {
			this.customer = customer;
			return this;
		}

		public Builder disposition(String disposition) {
			this.disposition = disposition;
			return this;
		}

		public Builder customField(String customField) {
			this.customField = customField;
			return this;
		}

		public Builder app(App app) {
			this.app = app;
			return this;
		}

		public Builder digits(String digits) {
			this.digits = digits;
			return this;
		}

		public Builder legs(List<CallLeg> legs) {
			this.legs = legs;
			return this;
		}

		public Builder timeline(List<TimelineEvent> timeline) {
			this.timeline = timeline;
			return this;
		}

		public Builder sources(Set<ApiVersion> sources) {
			this.sources = sources;
			return this;
		}

		/** Marks the call as reported by one API version. */
		public Builder source(ApiVersion source) {
			this.sources = Set.of(source);
			return this;
		}

		public Call build() {
			return new Call(this.sid, this.accountSid, this.direction, this.rawDirection, this.status,
					this.rawStatus, this.from, this.to, this.exophone, this.createdAt, this.startedAt,
					this.endedAt, this.duration, this.talkTime, this.holdTime, this.conversationDuration,
					this.price, this.answeredBy, this.agent, this.customer, this.disposition,
					this.customField, this.app, this.digits, this.legs, this.timeline, this.sources);
		}

	}

}
