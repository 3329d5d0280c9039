package io.exogate.gateway.call;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A call as GraphQL resolves it: the account, and the view that found it (a search page, a
 * lookup). Fields every view carries are read here; the rest are fetched from the version that
 * owns them, see {@link CallViews}.
 *
 * @param account the account SID
 * @param base the view that found the call
 * @param shared the other versions' views shared by every request resolving the same list of live
 *        calls, or {@code null}: the request's DataLoaders look them up
 */
public record CallNode(String account, Call base, SharedViews shared) {

	/** A call whose other views the request looks up itself. */
	public CallNode(String account, Call base) {
		this(account, base, null);
	}

	public String sid() {
		return this.base.sid();
	}

	public CallStatus status() {
		return this.base.status();
	}

	public String rawStatus() {
		return this.base.rawStatus();
	}

	public CallDirection direction() {
		return this.base.direction();
	}

	public String rawDirection() {
		return this.base.rawDirection();
	}

	public String exophone() {
		return this.base.exophone();
	}

	public Instant startedAt() {
		return this.base.startedAt();
	}

	public Instant endedAt() {
		return this.base.endedAt();
	}

	public Integer durationSeconds() {
		return seconds(this.base.duration());
	}

	public List<ApiVersion> sources() {
		Set<ApiVersion> sources = this.base.sources().isEmpty() ? EnumSet.noneOf(ApiVersion.class) : EnumSet.copyOf(this.base.sources());
		return List.copyOf(sources);
	}

	/** Whole seconds, or {@code null}. */
	public static Integer seconds(Duration duration) {
		return (duration != null) ? Math.toIntExact(duration.getSeconds()) : null;
	}

}
