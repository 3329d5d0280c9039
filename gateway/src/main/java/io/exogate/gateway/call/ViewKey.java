package io.exogate.gateway.call;

import io.exogate.model.call.ApiVersion;

/**
 * Which version's view of which call a field needs; the DataLoader key that lets every field of a
 * page share one fetch per version (one v1 request per 100 calls).
 */
public record ViewKey(String account, String sid, ApiVersion version) {
}
