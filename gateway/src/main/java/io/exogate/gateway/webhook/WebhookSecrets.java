package io.exogate.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The secret each Exotel account's callbacks to the gateway carry in their {@code secret} query
 * parameter (Exotel signs nothing): {@code exogate.exotel.accounts[].callback-secret}, or
 * {@code EXOTEL_CALLBACK_SECRET} with the single-account {@code EXOTEL_*} variables. Checked at start;
 * a start-up message names the key at fault, never the value. Presented secrets are compared as
 * SHA-256 digests in constant time, and an unknown account costs the same comparison as a known one.
 */
public final class WebhookSecrets {

	/** The single-account form's variable. */
	public static final String VARIABLE = "EXOTEL_CALLBACK_SECRET";

	/** The shortest secret accepted. */
	public static final int MIN_LENGTH = 16;

	/** The longest secret accepted. */
	public static final int MAX_LENGTH = 256;

	/** What a secret may hold: URL-safe characters only, so that it travels in a query unencoded. */
	private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~-]+");

	private final Map<String, String> secrets;

	private final Map<String, byte[]> digests;

	private final byte[] decoy;

	private WebhookSecrets(Map<String, String> secrets) {
		this.secrets = Map.copyOf(secrets);
		Map<String, byte[]> digests = new LinkedHashMap<>();
		secrets.forEach((account, secret) -> digests.put(account, sha256(secret)));
		this.digests = Map.copyOf(digests);
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.decoy = sha256(new String(random, StandardCharsets.ISO_8859_1));
	}

	/** These secrets, by account SID; each must be valid. */
	public static WebhookSecrets of(Map<String, String> secrets) {
		List<String> problems = new ArrayList<>();
		secrets.forEach((account, secret) -> check(secret, "exogate.exotel.accounts[" + account + "].callback-secret", problems));
		if (!problems.isEmpty()) {
			throw new IllegalStateException(String.join("; ", problems));
		}
		return new WebhookSecrets(secrets);
	}

	/**
	 * The secrets this environment configures: under {@code exogate.exotel.accounts[]} when accounts
	 * are configured there, else {@value #VARIABLE} for the account of {@code EXOTEL_ACCOUNT_SID}.
	 * @throws IllegalStateException naming the key whose secret is unusable
	 */
	public static WebhookSecrets bind(Environment environment) {
		Binder binder = Binder.get(environment);
		List<Entry> accounts = binder.bind("exogate.exotel.accounts", Bindable.listOf(Entry.class)).orElse(List.of());
		Map<String, String> secrets = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		if (!accounts.isEmpty()) {
			for (int i = 0; i < accounts.size(); i++) {
				Entry entry = accounts.get(i);
				if (entry.callbackSecret() != null && entry.sid() != null) {
					if (check(entry.callbackSecret(), "exogate.exotel.accounts[" + i + "].callback-secret", problems)) {
						secrets.put(entry.sid(), entry.callbackSecret());
					}
				}
			}
		}
		else {
			String secret = environment.getProperty(VARIABLE);
			String sid = environment.getProperty("EXOTEL_ACCOUNT_SID");
			if (secret != null && sid != null && check(secret, VARIABLE, problems)) {
				secrets.put(sid.trim(), secret);
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException(String.join("; ", problems));
		}
		return new WebhookSecrets(secrets);
	}

	/** Whether the account has a secret: only then does it take callbacks. */
	public boolean configured(String account) {
		return this.digests.containsKey(account);
	}

	/** The accounts that take callbacks. */
	public java.util.Set<String> accounts() {
		return this.digests.keySet();
	}

	/**
	 * Whether this secret is the account's; {@code false} for an unknown account or a missing secret,
	 * after the same work as a wrong one.
	 */
	public boolean matches(String account, String presented) {
		byte[] expected = (account != null) ? this.digests.get(account) : null;
		byte[] given = sha256((presented != null) ? presented : "");
		boolean equal = MessageDigest.isEqual((expected != null) ? expected : this.decoy, given);
		return equal && expected != null && presented != null;
	}

	/** The account's secret, to build the URL Exotel is given; never to be logged. */
	String secret(String account) {
		return this.secrets.get(account);
	}

	/** A fresh random secret, as demo mode gives each account at every start. */
	public static String random() {
		byte[] bytes = new byte[24];
		new SecureRandom().nextBytes(bytes);
		return java.util.HexFormat.of().formatHex(bytes);
	}

	@Override
	public String toString() {
		return "WebhookSecrets" + this.digests.keySet();
	}

	private static boolean check(String secret, String key, List<String> problems) {
		if (secret.isBlank()) {
			problems.add(key + " is empty: set a random secret of " + MIN_LENGTH + " to " + MAX_LENGTH
					+ " characters, or leave it unset to refuse that account's callbacks");
			return false;
		}
		if (secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH || !ALLOWED.matcher(secret).matches()) {
			problems.add(key + " must be " + MIN_LENGTH + " to " + MAX_LENGTH
					+ " characters of A-Z, a-z, 0-9, '.', '_', '~' and '-' (for example 32 random hex digits)");
			return false;
		}
		return true;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What is read of one configured account.
	 *
	 * @param sid the account SID
	 * @param callbackSecret its callback secret, or {@code null}
	 */
	public record Entry(String sid, String callbackSecret) {
	}

}
