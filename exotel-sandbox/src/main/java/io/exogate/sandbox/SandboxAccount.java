package io.exogate.sandbox;

import java.util.Objects;

/**
 * An account the sandbox serves, with its credentials.
 *
 * @param sid the account SID used in every path
 * @param apiKey HTTP Basic user for v1, v3 and private media
 * @param apiToken HTTP Basic password for v1, v3 and private media
 * @param v4Token bearer session token for v4
 */
public record SandboxAccount(String sid, String apiKey, String apiToken, String v4Token) {

	public SandboxAccount {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(apiKey, "apiKey");
		Objects.requireNonNull(apiToken, "apiToken");
		Objects.requireNonNull(v4Token, "v4Token");
		if (!sid.matches("[A-Za-z0-9_-]{1,64}")) {
			throw new IllegalArgumentException("An account SID is 1 to 64 letters, digits, '_' or '-'");
		}
	}

	/** Parses {@code sid:apiKey:apiToken:v4Token}. */
	public static SandboxAccount parse(String spec) {
		String[] parts = spec.split(":", -1);
		if (parts.length != 4) {
			throw new IllegalArgumentException("An account is given as sid:apiKey:apiToken:v4Token");
		}
		return new SandboxAccount(parts[0], parts[1], parts[2], parts[3]);
	}

	@Override
	public String toString() {
		return "SandboxAccount[sid=" + this.sid + "]";
	}

}
