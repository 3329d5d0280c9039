package io.exogate.gateway.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the GraphQL endpoint ({@code exogate.http.*}).
 *
 * @param maxBodySize the largest request body read; a larger one is refused with 413 before it is read in full
 */
@ConfigurationProperties("exogate.http")
public record HttpProperties(DataSize maxBodySize) {

	/** The default body limit: generous for any document the schema needs, small enough to hold per request. */
	public static final DataSize DEFAULT_MAX_BODY_SIZE = DataSize.ofKilobytes(64);

	public HttpProperties {
		maxBodySize = (maxBodySize != null) ? maxBodySize : DEFAULT_MAX_BODY_SIZE;
		if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("exogate.http.max-body-size must be between 1B and 2GB");
		}
	}

	/** The body limit in bytes. */
	public int maxBodyBytes() {
		return (int) this.maxBodySize.toBytes();
	}

}
