package io.exogate.model.recording;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A time-limited link to a recording's media.
 *
 * @param uri the absolute http(s) URL
 * @param expiresAt the instant after which the link answers 403
 */
public record SignedUrl(URI uri, Instant expiresAt) {

	public SignedUrl {
		Objects.requireNonNull(uri, "uri");
		Objects.requireNonNull(expiresAt, "expiresAt");
		if (!uri.isAbsolute() || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
			throw new IllegalArgumentException("A signed URL must be an absolute http(s) URL");
		}
	}

	/**
	 * Time left before expiry once {@code safetyMargin} is set aside; zero or negative means the
	 * link must not be handed out any more.
	 */
	public Duration usableFor(Instant now, Duration safetyMargin) {
		return Duration.between(now, this.expiresAt).minus(safetyMargin);
	}

	/** Whether the link still has more than {@code safetyMargin} to live at {@code now}. */
	public boolean isUsableAt(Instant now, Duration safetyMargin) {
		Duration left = usableFor(now, safetyMargin);
		return !left.isNegative() && !left.isZero();
	}

}
