package io.exogate.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks a request's credentials for an account: HTTP Basic for v1, v3 and private media, the bearer token for v4. */
final class Credentials {

	private final SandboxSettings settings;

	Credentials(SandboxSettings settings) {
		this.settings = settings;
	}

	/** The account when the request holds its credentials, otherwise {@code null}. */
	SandboxAccount authenticate(Dialect dialect, String accountSid, SandboxRequest request) {
		SandboxAccount account = this.settings.account(accountSid);
		if (account == null) {
			return null;
		}
		if (dialect == Dialect.V4) {
			return matches(account.v4Token(), request.bearerToken()) ? account : null;
		}
		String[] credentials = request.basicCredentials();
		return (credentials != null && matches(account.apiKey(), credentials[0]) && matches(account.apiToken(), credentials[1]))
				? account : null;
	}

	private static boolean matches(String expected, String given) {
		return given != null
				&& MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
	}

}
