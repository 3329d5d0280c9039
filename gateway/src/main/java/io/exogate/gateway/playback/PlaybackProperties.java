package io.exogate.gateway.playback;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code exogate.playback.*}: the keys that sign and verify playback tokens (base64, at least 32
 * bytes each; the first signs, all verify) and how long a token lives.
 */
@ConfigurationProperties("exogate.playback")
public record PlaybackProperties(List<String> signingKeys, Duration lifetime) {

	public PlaybackProperties {
		signingKeys = (signingKeys != null) ? List.copyOf(signingKeys) : List.of();
		lifetime = (lifetime != null) ? lifetime : Duration.ofMinutes(15);
	}

}
