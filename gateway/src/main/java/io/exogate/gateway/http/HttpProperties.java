package io.exogate.gateway.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the GraphQL endpoint ({@code exogate.http.*}).
 *
 * @param maxBodySize the largest request body read; a larger one is refused with 413 before it is read in full
 * @param readTimeout the longest pause between two reads of one request, so a client that stops
 * sending midway (slowloris) does not hold a connection
 */
@ConfigurationProperties("exogate.http")
public record HttpProperties(DataSize maxBodySize, java.time.Duration readTimeout) {

	/** The default body limit: generous for any document the schema needs, small enough to hold per request. */
	public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofKilobytes(64);

	public HttpProperties {
		maxBodySize = (maxBodySize != null) ? maxBodySize : DEFAULT_MAX_BODY_SIZE;
		readTimeout = (readTimeout != null) ? readTimeout : java.time.Duration.ofSeconds(20);
		if (readTimeout.isNegative() || readTimeout.isZero()) {
			throw new IllegalArgumentException("exogate.http.read-timeout must be positive");
		}
		if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("exogate.http.max-body-size must be between 1B and 2GB");
		}
	}

	/** The body limit in bytes. */
	public int maxBodyBytes() {
		return (int) this.maxBodySize.toBytes();
	}

}
