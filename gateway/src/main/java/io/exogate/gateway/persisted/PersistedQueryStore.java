package io.exogate.gateway.persisted;

import reactor.core.publisher.Mono;

/**
 * Where automatically persisted queries are kept: per tenant, by the SHA-256 of the document, for a
 * time to live. A store that cannot answer behaves as a miss; it never fails the request.
 */
public interface PersistedQueryStore {

	/** The document registered under this hash for this tenant; empty when there is none, or the store is out of reach. */
	Mono<String> find(String tenant, String hash);

	/** Keeps the document under its hash for this tenant; completes, without keeping it, when the store is out of reach. */
	Mono<Void> save(String tenant, String hash, String document);

	/** {@code exogate:apq:<tenant>:<hash>}. */
	static String key(String tenant, String hash) {
		return "exogate:apq:" + tenant + ":" + hash;
	}

}
