package io.exogate.gateway.security;

import java.util.Locale;
import java.util.Set;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Whether a request names a credential in its URL: a key sent in a URL is leaked, and its client must hear so. */
final class UrlCredentials {

	/** Query parameters that look like credentials: a request naming one is refused, whatever else it carries. */
	private static final Set<String> NAMES = Set.of("api_key", "apikey", "api-key", "x-api-key", "key", "access_token", "token",
			"jwt", "authorization", "bearer");

	private UrlCredentials() {
	}

	/** Whether the request's query names a credential, the configured key header's name included. */
	static boolean named(ServerHttpRequest request, String keyHeader) {
		String header = keyHeader.toLowerCase(Locale.ROOT);
		return request.getQueryParams().keySet().stream().map((name) -> name.toLowerCase(Locale.ROOT))
			.anyMatch((name) -> NAMES.contains(name) || name.equals(header));
	}

}
