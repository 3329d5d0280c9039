package io.exogate.gateway.response;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The whole-response cache ({@code exogate.response-cache.*}).
 *
 * @param enabled whether answers of recording-only queries are kept and served again
 * @param maxTtl the longest an answer is kept, whatever the data in it allows
 * @param maxSize the memory the kept answers may take (estimated from their documents and recordings)
 */
@ConfigurationProperties("exogate.response-cache")
public record ResponseCacheProperties(Boolean enabled, Duration maxTtl, DataSize maxSize) {

	public ResponseCacheProperties {
		enabled = (enabled == null) || enabled;
		maxTtl = (maxTtl != null) ? maxTtl : Duration.ofMinutes(10);
		maxSize = (maxSize != null) ? maxSize : DataSize.ofMegabytes(32);
		if (maxTtl.isNegative()) {
			throw new IllegalArgumentException("exogate.response-cache.max-ttl must not be negative, got " + maxTtl);
		}
		if (maxSize.isNegative()) {
			throw new IllegalArgumentException("exogate.response-cache.max-size must not be negative, got " + maxSize);
		}
	}

}
