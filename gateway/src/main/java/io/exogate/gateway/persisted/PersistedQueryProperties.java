package io.exogate.gateway.persisted;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Persisted operations of the GraphQL endpoint ({@code exogate.persisted-queries.*}).
 *
 * @param automatic whether clients may register documents by hash (Apollo's automatic persisted queries);
 * ignored when {@code trustedDocuments} is set, which turns registration off
 * @param ttl how long a registered document is kept after its last registration (Apollo clients send
 * the document again when it is not found)
 * @param maxEntries the most documents the in-process store holds, for all tenants; in Redis, the most
 * registrations kept per tenant in each {@code ttl} window
 * @param trustedDocuments a Spring resource location ({@code classpath:...}, {@code file:...}) of a
 * manifest {@code {"<sha256>": "<document>", ...}}; when set, only its documents run
 */
@ConfigurationProperties("exogate.persisted-queries")
public record PersistedQueryProperties(Boolean automatic, Duration ttl, Integer maxEntries, String trustedDocuments) {

	public PersistedQueryProperties {
		automatic = (automatic != null) ? automatic : true;
		ttl = (ttl != null) ? ttl : Duration.ofHours(1);
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("exogate.persisted-queries.ttl must be positive");
		}
		maxEntries = (maxEntries != null) ? maxEntries : 2_000;
		if (maxEntries < 1) {
			throw new IllegalArgumentException("exogate.persisted-queries.max-entries must be at least 1");
		}
		trustedDocuments = (trustedDocuments != null && !trustedDocuments.isBlank()) ? trustedDocuments.strip() : null;
	}

}
