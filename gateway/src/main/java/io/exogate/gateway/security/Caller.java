package io.exogate.gateway.security;
/** Who is asking: the tenant, and the client within it (an API key's id or a token's subject), never a secret. */
public record Caller(String tenant, String client, String kind) { }
