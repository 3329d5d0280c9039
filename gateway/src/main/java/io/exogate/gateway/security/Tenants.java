package io.exogate.gateway.security;

import io.exogate.gateway.security.SecurityProperties.JwtClaim;
import io.exogate.gateway.security.SecurityProperties.Limits;
import io.exogate.gateway.security.SecurityProperties.TenantProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants the gateway serves, checked at start, and who a presented API key or token's claims
 * make the caller. Keys are held only as SHA-256 hashes and compared in constant time.
 */
public final class Tenants {

	private static final Logger logger = LoggerFactory.getLogger(Tenants.class);

	/** The documented key of demo mode's tenant. */
	public static final String DEMO_KEY = "exogate-demo-key";

	/** Demo mode's tenant. */
	public static final String DEMO_TENANT = "demo";

	/** A client's default allowance per minute. */
	public static final int DEFAULT_REQUESTS_PER_MINUTE = 600;

	private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final Map<String, Tenant> tenants;

	private final List<KeyHash> keys;

	private final boolean demo;

	private Tenants(Map<String, Tenant> tenants, List<KeyHash> keys, boolean demo) {
		this.tenants = tenants;
		this.keys = keys;
		this.demo = demo;
	}

	/** Whether these are demo mode's tenant, with its documented key. */
	public boolean demo() {
		return this.demo;
	}

	/**
	 * The configured tenants, or demo mode's tenant {@code demo} over every account with the key
	 * {@value #DEMO_KEY} when none is configured in demo mode.
	 * @throws IllegalStateException naming what to change when the configuration is not usable
	 */
	public static Tenants of(List<TenantProperties> configured, Collection<String> accounts, boolean demo) {
		List<TenantProperties> tenants = configured;
		if (tenants.isEmpty()) {
			if (!demo) {
				throw new IllegalStateException("exogate.security.tenants is empty: no client could call the gateway. Configure at"
						+ " least one tenant with its accounts and api-keys (sha256:<hex>) or jwt claim");
			}
			tenants = List.of(new TenantProperties(DEMO_TENANT, List.copyOf(accounts), accounts.iterator().next(),
					List.of("sha256:" + HexFormat.of().formatHex(sha256(DEMO_KEY))), null, null, null,
					List.of("https://hooks.example.com/"), false));
		}
		Map<String, Tenant> byId = new LinkedHashMap<>();
		List<KeyHash> keys = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < tenants.size(); i++) {
			Tenant tenant = tenant(tenants.get(i), "exogate.security.tenants[" + i + "]", Set.copyOf(accounts), problems, keys);
			if (tenant != null && byId.putIfAbsent(tenant.id(), tenant) != null) {
				problems.add("exogate.security.tenants[" + i + "].id '" + tenant.id() + "' is used twice");
			}
		}
		for (int i = 0; i < keys.size(); i++) {
			for (int j = i + 1; j < keys.size(); j++) {
				if (MessageDigest.isEqual(keys.get(i).hash(), keys.get(j).hash())) {
					problems.add("the API key hash " + keys.get(i).id() + " is configured twice (tenants " + keys.get(i).tenant()
							+ " and " + keys.get(j).tenant() + ")");
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException(String.join("; ", problems));
		}
		warnOfSharedAccounts(byId.values());
		return new Tenants(Map.copyOf(byId), List.copyOf(keys), configured.isEmpty());
	}

	/**
	 * One line naming the accounts that several tenants share: allowed (each then sees all of the
	 * account's calls), but worth knowing; their cache entries stay apart all the same.
	 */
	private static void warnOfSharedAccounts(Collection<Tenant> tenants) {
		Map<String, List<String>> byAccount = new TreeMap<>();
		for (Tenant tenant : tenants) {
			for (String account : tenant.accounts()) {
				byAccount.computeIfAbsent(account, (ignored) -> new ArrayList<>()).add(tenant.id());
			}
		}
		List<String> shared = byAccount.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().size() > 1)
			.map((entry) -> entry.getKey() + " (tenants " + String.join(", ", entry.getValue()) + ")")
			.toList();
		if (!shared.isEmpty()) {
			logger.warn("Exotel accounts served to more than one tenant: {}. Each of those tenants sees every call and recording"
					+ " of the account; their cached recordings are kept apart.", String.join("; ", shared));
		}
	}

	private static Tenant tenant(TenantProperties properties, String at, Set<String> configuredAccounts, List<String> problems,
			List<KeyHash> keys) {
		if (properties.id() == null || !ID.matcher(properties.id()).matches()) {
			problems.add(at + ".id is required: letters, digits, '.', '_' or '-', at most 64");
			return null;
		}
		String id = properties.id();
		List<String> accounts = (properties.accounts() != null) ? List.copyOf(properties.accounts()) : List.of();
		if (accounts.isEmpty()) {
			problems.add(at + ".accounts is required: the Exotel account SIDs tenant " + id + " may see");
		}
		for (String account : accounts) {
			if (!configuredAccounts.contains(account)) {
				problems.add(at + ".accounts names " + account + ", which is not a configured Exotel account");
			}
		}
		String defaultAccount = properties.defaultAccount();
		if (defaultAccount != null && !accounts.contains(defaultAccount)) {
			problems.add(at + ".default-account " + defaultAccount + " is not one of its accounts");
		}
		if (defaultAccount == null && accounts.size() == 1) {
			defaultAccount = accounts.get(0);
		}
		List<String> apiKeys = (properties.apiKeys() != null) ? properties.apiKeys() : List.of();
		for (int k = 0; k < apiKeys.size(); k++) {
			String key = apiKeys.get(k);
			if (key == null || !HASH.matcher(key.strip()).matches()) {
				// Never shown: a value here may be a raw key pasted by mistake.
				problems.add(at + ".api-keys[" + k + "] is not a SHA-256 hash: write it as sha256:<64 hex digits>"
						+ " (printf '%s' \"$KEY\" | sha256sum), never the key itself");
				continue;
			}
			byte[] hash = HexFormat.of().parseHex(key.strip().substring("sha256:".length()));
			keys.add(new KeyHash(id, "key:" + HexFormat.of().formatHex(hash, 0, 6), hash));
		}
		JwtClaim jwt = properties.jwt();
		if (jwt != null && (jwt.claim() == null || jwt.claim().isBlank() || jwt.value() == null || jwt.value().isBlank())) {
			problems.add(at + ".jwt needs both claim and value");
			jwt = null;
		}
		if (apiKeys.isEmpty() && jwt == null) {
			problems.add(at + " has neither api-keys nor a jwt claim: none of its clients could call the gateway");
		}
		int requestsPerMinute = (properties.requestsPerMinute() != null) ? properties.requestsPerMinute()
				: DEFAULT_REQUESTS_PER_MINUTE;
		if (requestsPerMinute < 1) {
			problems.add(at + ".requests-per-minute must be at least 1");
		}
		if (properties.maxCost() != null && properties.maxCost() < 1) {
			problems.add(at + ".max-cost must be at least 1");
		}
		List<String> callbacks = (properties.exportCallbacks() != null) ? properties.exportCallbacks() : List.of();
		for (int j = 0; j < callbacks.size(); j++) {
			String why = callbackPrefixProblem(callbacks.get(j));
			if (why != null) {
				// Never shown: a prefix may hold a path token the receiver treats as a secret.
				problems.add(at + ".export-callbacks[" + j + "] " + why + ": write an absolute http(s) URL without query,"
						+ " fragment or user information, such as https://hooks.example.com/exotel/");
			}
		}
		callbacks = callbacks.stream().filter((callback) -> callback != null).toList();
		Limits limits = (properties.limits() != null) ? properties.limits() : Limits.NONE;
		limits(limits, at + ".limits", problems);
		return new Tenant(id, accounts, defaultAccount, jwt, requestsPerMinute, properties.maxCost(), callbacks,
				Boolean.TRUE.equals(properties.allowPrivateCallbacks()), limits);
	}

	private static void limits(Limits limits, String at, List<String> problems) {
		if (limits.maxBodySize() != null && limits.maxBodySize().toBytes() < 1) {
			problems.add(at + ".max-body-size must be positive");
		}
		if (limits.maxAliases() != null && limits.maxAliases() < 0) {
			problems.add(at + ".max-aliases must be at least 0");
		}
		if (limits.maxDepth() != null && limits.maxDepth() < 1) {
			problems.add(at + ".max-depth must be at least 1");
		}
		if (limits.maxFields() != null && limits.maxFields() < 1) {
			problems.add(at + ".max-fields must be at least 1");
		}
		if (limits.deadline() != null && (limits.deadline().isNegative() || limits.deadline().isZero())) {
			problems.add(at + ".deadline must be positive");
		}
	}

	/** What is wrong with an export callback prefix, as {@link ExportCallbacks} reads it, or {@code null}. */
	private static String callbackPrefixProblem(String prefix) {
		if (prefix == null || prefix.isBlank()) {
			return "is empty";
		}
		CallbackUrl url;
		try {
			url = CallbackUrl.parse(prefix);
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
		if (url.query() != null) {
			return "must not have a query (?…)";
		}
		return null;
	}

	/** A tenant by its id. */
	public Optional<Tenant> tenant(String id) {
		return Optional.ofNullable(this.tenants.get(id));
	}

	/** Every tenant. */
	public Collection<Tenant> all() {
		return this.tenants.values();
	}

	/** Whether any tenant accepts tokens. */
	public boolean acceptsTokens() {
		return this.tenants.values().stream().anyMatch((tenant) -> tenant.jwt() != null);
	}

	/** The caller a presented API key identifies; every configured hash is compared, whatever matches first. */
	public Optional<Caller> byApiKey(String presented) {
		byte[] digest = sha256(presented);
		KeyHash match = null;
		for (KeyHash key : this.keys) {
			if (MessageDigest.isEqual(digest, key.hash()) && match == null) {
				match = key;
			}
		}
		return (match != null) ? Optional.of(new Caller(match.tenant(), match.id(), "api-key")) : Optional.empty();
	}

	/**
	 * The caller a verified token's claims identify: the tenant whose claim the token holds, when exactly
	 * one tenant matches; the client is the token's subject.
	 */
	public Optional<Caller> byClaims(Map<String, Object> claims, String subject) {
		List<Tenant> matching = this.tenants.values()
			.stream()
			.filter((tenant) -> tenant.jwt() != null && holds(claims.get(tenant.jwt().claim()), tenant.jwt().value()))
			.toList();
		if (matching.size() != 1 || subject == null || subject.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(new Caller(matching.get(0).id(), "sub:" + subject, "jwt"));
	}

	private static boolean holds(Object claim, String value) {
		if (claim instanceof Collection<?> values) {
			return values.stream().anyMatch((one) -> value.equals(String.valueOf(one)));
		}
		return claim != null && value.equals(String.valueOf(claim));
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One tenant, checked. */
	public record Tenant(String id, List<String> accounts, String defaultAccount, JwtClaim jwt, int requestsPerMinute,
			Integer maxCost, List<String> exportCallbacks, boolean allowPrivateCallbacks, Limits limits) {

		/** The same tenant without limits of its own. */
		public Tenant(String id, List<String> accounts, String defaultAccount, JwtClaim jwt, int requestsPerMinute, Integer maxCost,
				List<String> exportCallbacks, boolean allowPrivateCallbacks) {
			this(id, accounts, defaultAccount, jwt, requestsPerMinute, maxCost, exportCallbacks, allowPrivateCallbacks, Limits.NONE);
		}

		/** The smaller of the tenant's limit and the gateway's. */
		public int limit(Integer own, int gateways) {
			return (own != null) ? Math.min(own, gateways) : gateways;
		}

		/** Whether the tenant may see this account. */
		public boolean owns(String account) {
			return this.accounts.contains(account);
		}

	}

	private record KeyHash(String tenant, String id, byte[] hash) {
	}

}
