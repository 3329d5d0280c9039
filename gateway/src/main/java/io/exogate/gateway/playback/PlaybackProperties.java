package io.exogate.gateway.playback;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code exogate.playback.*}: the keys that sign and verify playback tokens (base64, at least 32
 * bytes each; the first signs, all verify), how long a token lives, how many streams may be open
 * per token and in all, how many requests one token may make a minute, and how long the media host
 * may owe bytes without sending any.
 */
@ConfigurationProperties("exogate.playback")
public record PlaybackProperties(List<String> signingKeys, Duration lifetime, Integer maxStreamsPerToken, Integer maxStreams,
		Duration stallTimeout, Integer maxRequestsPerToken) {

	/** The properties with the default request rate per token. */
	public PlaybackProperties(List<String> signingKeys, Duration lifetime, Integer maxStreamsPerToken, Integer maxStreams,
			Duration stallTimeout) {
		this(signingKeys, lifetime, maxStreamsPerToken, maxStreams, stallTimeout, null);
	}

	@ConstructorBinding
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
		maxRequestsPerToken = (maxRequestsPerToken != null) ? maxRequestsPerToken : 240;
		if (maxRequestsPerToken < 1) {
			throw new IllegalArgumentException("exogate.playback.max-requests-per-token must be at least 1");
		}
		stallTimeout = (stallTimeout != null) ? stallTimeout : Duration.ofSeconds(20);
		if (stallTimeout.isNegative() || stallTimeout.isZero()) {
			throw new IllegalArgumentException("exogate.playback.stall-timeout must be positive");
		}
	}

}
