package io.exogate.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** An HTTP request as the sandbox's handlers see it: decoded path and query, headers, whole body. */
record SandboxRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
		String body) {

	/** The first value of a query parameter, or {@code null}. */
	String param(String name) {
		List<String> values = this.query.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/** A header by lower-case name, or {@code null}. */
	String header(String name) {
		return this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
	}

	/** The HTTP Basic credentials as {@code {user, password}}, or {@code null}. */
	String[] basicCredentials() {
		String authorization = header("authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		try {
			String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			return (colon < 0) ? null : new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) };
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** The bearer token, or {@code null}. */
	String bearerToken() {
		String authorization = header("authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

}
