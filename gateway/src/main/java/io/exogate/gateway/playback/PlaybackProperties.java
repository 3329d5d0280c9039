package io.exogate.gateway.playback;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code exogate.playback.*}: the keys that sign and verify playback tokens (base64, at least 32
 * bytes each; the first signs, all verify), how long a token lives, how many streams may be open
 * per token and in all, and how long the media host may owe bytes without sending any.
 */
@ConfigurationProperties("exogate.playback")
public record PlaybackProperties(List<String> signingKeys, Duration lifetime, Integer maxStreamsPerToken, Integer maxStreams,
		Duration stallTimeout) {

	public PlaybackProperties {
		signingKeys = (signingKeys != null) ? List.copyOf(signingKeys) : List.of();
		lifetime = (lifetime != null) ? lifetime : Duration.ofMinutes(15);
		maxStreamsPerToken = (maxStreamsPerToken != null) ? maxStreamsPerToken : 4;
		if (maxStreamsPerToken < 1) {
			throw new IllegalArgumentException("exogate.playback.max-streams-per-token must be at least 1");
		}
		maxStreams = (maxStreams != null) ? maxStreams : 500;
		if (maxStreams < 1) {
			throw new IllegalArgumentException("exogate.playback.max-streams must be at least 1");
		}
		stallTimeout = (stallTimeout != null) ? stallTimeout : Duration.ofSeconds(20);
		if (stallTimeout.isNegative() || stallTimeout.isZero()) {
			throw new IllegalArgumentException("exogate.playback.stall-timeout must be positive");
		}
	}

}
