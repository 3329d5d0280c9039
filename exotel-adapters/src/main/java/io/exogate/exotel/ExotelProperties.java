package io.exogate.exotel;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Exotel accounts and how exogate talks to them ({@code exogate.exotel.*}). Every value is
 * checked when the application starts; a bad value stops it with a message naming the key.
 *
 * @param accounts the accounts, at least one
 * @param pool the HTTP connection pool shared by every client
 * @param resilience retry and circuit-breaker settings
 * @param budget how requests over the per-minute budget wait
 * @param recordingUrlValidity expiry assumed for a recording URL whose response states none
 * @param defaultRegion ISO 3166 two-letter code of the country that numbers without a country code
 * belong to, {@code IN} by default (see {@link PhoneNumbers})
 */
@ConfigurationProperties("exogate.exotel")
public record ExotelProperties(List<Account> accounts, Pool pool, Resilience resilience, Budget budget,
		Duration recordingUrlValidity, String defaultRegion) {

	/** What an account SID may be: 1 to 64 letters, digits, '_' or '-'. */
	static final String SID_PATTERN = "[A-Za-z0-9_-]{1,64}";

	public ExotelProperties {
		if (accounts == null || accounts.isEmpty()) {
			throw new IllegalArgumentException("exogate.exotel.accounts: configure at least one Exotel account");
		}
		Set<String> sids = new HashSet<>();
		for (Account account : accounts) {
			if (!sids.add(account.sid())) {
				throw new IllegalArgumentException("exogate.exotel.accounts: account " + account.sid() + " is configured twice");
			}
		}
		accounts = List.copyOf(accounts);
		pool = (pool != null) ? pool : new Pool(null, null, null, null);
		resilience = (resilience != null) ? resilience : new Resilience(null, null, null, null, null, null);
		budget = (budget != null) ? budget : new Budget(null, null);
		recordingUrlValidity = positive(recordingUrlValidity, Duration.ofMinutes(5), "exogate.exotel.recording-url-validity");
		defaultRegion = region(defaultRegion);
	}

	/** The account with this SID, or {@code null}. */
	public Account account(String sid) {
		return this.accounts.stream().filter((account) -> account.sid().equals(sid)).findFirst().orElse(null);
	}

	/**
	 * One Exotel account.
	 *
	 * @param sid the account SID
	 * @param region picks the documented base URLs
	 * @param apiKey HTTP Basic user for v1 and v3
	 * @param apiToken HTTP Basic password for v1 and v3
	 * @param v4Token bearer session token for v4
	 * @param baseUrls per-version overrides of the region's base URLs
	 * @param requestsPerMinute this account's request budget, shared by every gateway instance
	 * @param presignedUrlValidity lifetime asked for v1 pre-signed recording URLs, 5 to 60 minutes
	 * @param timeouts connect and response timeouts
	 * @param mediaOrigins further origins ({@code scheme://host[:port]}, nothing else) whose recording URLs may be
	 * fetched with the API key and token, besides the v1 and v3 base URLs' own
	 */
	public record Account(String sid, Region region, String apiKey, String apiToken, String v4Token, BaseUrls baseUrls,
			Integer requestsPerMinute, Duration presignedUrlValidity, Timeouts timeouts, List<URI> mediaOrigins) {

		public Account {
			if (sid == null || !sid.matches(SID_PATTERN)) {
				throw new IllegalArgumentException("exogate.exotel.accounts[].sid: an account SID is 1 to 64 letters, digits, '_' or '-'");
			}
			String key = "exogate.exotel.accounts[" + sid + "].";
			region = (region != null) ? region : Region.SINGAPORE;
			require(apiKey, key + "api-key");
			require(apiToken, key + "api-token");
			require(v4Token, key + "v4-token");
			baseUrls = (baseUrls != null) ? baseUrls : new BaseUrls(null, null, null);
			baseUrls.check(key + "base-urls");
			requestsPerMinute = (requestsPerMinute != null) ? requestsPerMinute : 200;
			if (requestsPerMinute < 1) {
				throw new IllegalArgumentException(key + "requests-per-minute must be at least 1");
			}
			presignedUrlValidity = (presignedUrlValidity != null) ? presignedUrlValidity : Duration.ofMinutes(5);
			if (presignedUrlValidity.getSeconds() % 60 != 0 || presignedUrlValidity.toMinutes() < 5
					|| presignedUrlValidity.toMinutes() > 60) {
				throw new IllegalArgumentException(key + "presigned-url-validity must be whole minutes from 5m to 60m");
			}
			timeouts = (timeouts != null) ? timeouts : new Timeouts(null, null);
			mediaOrigins = (mediaOrigins != null) ? List.copyOf(mediaOrigins) : List.of();
			for (int i = 0; i < mediaOrigins.size(); i++) {
				URI origin = mediaOrigins.get(i);
				BaseUrls.checkUrl(origin, key + "media-origins[" + i + "]");
				if (origin.getRawPath() != null && !origin.getRawPath().isEmpty() && !origin.getRawPath().equals("/")
						|| origin.getRawFragment() != null) {
					throw new IllegalArgumentException(key + "media-origins[" + i + "] must be an origin, scheme://host[:port], without a path");
				}
			}
		}

		/**
		 * The origins whose recording URLs may be fetched with this account's API key and token: the v1 and v3 base
		 * URLs' (the region's or the overrides) and {@code media-origins}, as {@code scheme://host:port} in lower case
		 * with the port always written.
		 */
		public java.util.Set<String> credentialOrigins() {
			java.util.Set<String> origins = new java.util.LinkedHashSet<>();
			origins.add(origin(baseUrl(io.exogate.model.call.ApiVersion.V1)));
			origins.add(origin(baseUrl(io.exogate.model.call.ApiVersion.V3)));
			this.mediaOrigins.forEach((uri) -> origins.add(origin(uri)));
			return origins;
		}

		/** {@code scheme://host:port} in lower case, the port always written; {@code null} for anything but http(s) with a host. */
		public static String origin(URI uri) {
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(java.util.Locale.ROOT) : null;
			if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
				return null;
			}
			int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
			return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
		}

		/** The base URL of one API version: the override if set, else the region's. */
		public URI baseUrl(io.exogate.model.call.ApiVersion version) {
			return switch (version) {
				case V1 -> (this.baseUrls.v1() != null) ? this.baseUrls.v1() : this.region.v1();
				case V3 -> (this.baseUrls.v3() != null) ? this.baseUrls.v3() : this.region.ccm();
				case V4 -> (this.baseUrls.v4() != null) ? this.baseUrls.v4() : this.region.ccm();
			};
		}

		@Override
		public String toString() {
			return "Account[sid=" + this.sid + ", region=" + this.region + ", requestsPerMinute=" + this.requestsPerMinute + "]";
		}

		private static void require(String value, String key) {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException(key + " is required");
			}
		}

	}

	/**
	 * Per-version base URL overrides, for example to point at a sandbox.
	 *
	 * @param v1 v1 base URL, or {@code null} for the region's
	 * @param v3 v3 base URL, or {@code null} for the region's
	 * @param v4 v4 base URL, or {@code null} for the region's
	 */
	public record BaseUrls(URI v1, URI v3, URI v4) {

		void check(String key) {
			checkUrl(this.v1, key + ".v1");
			checkUrl(this.v3, key + ".v3");
			checkUrl(this.v4, key + ".v4");
		}

		static void checkUrl(URI url, String key) {
			if (url == null) {
				return;
			}
			if (!url.isAbsolute() || url.getHost() == null
					|| !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
				throw new IllegalArgumentException(key + " must be an absolute http(s) URL with a host");
			}
			if (url.getUserInfo() != null || url.getQuery() != null) {
				throw new IllegalArgumentException(key + " must not carry credentials or a query");
			}
		}

	}

	/**
	 * Timeouts of every upstream call.
	 *
	 * @param connect TCP connect timeout
	 * @param response time for a whole response
	 */
	public record Timeouts(Duration connect, Duration response) {

		public Timeouts {
			connect = positive(connect, Duration.ofSeconds(2), "timeouts.connect");
			response = positive(response, Duration.ofSeconds(10), "timeouts.response");
		}

	}

	/**
	 * The connection pool.
	 *
	 * @param maxConnections connections per remote address
	 * @param pendingAcquireTimeout how long a request waits for a connection
	 * @param maxIdleTime when an idle connection is closed
	 * @param pendingAcquireMaxCount how many requests may wait for a connection
	 */
	public record Pool(Integer maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime,
			Integer pendingAcquireMaxCount) {

		public Pool {
			maxConnections = (maxConnections != null) ? maxConnections : 50;
			pendingAcquireMaxCount = (pendingAcquireMaxCount != null) ? pendingAcquireMaxCount : 1000;
			if (maxConnections < 1 || pendingAcquireMaxCount < 1) {
				throw new IllegalArgumentException("exogate.exotel.pool: max-connections and pending-acquire-max-count must be at least 1");
			}
			pendingAcquireTimeout = positive(pendingAcquireTimeout, Duration.ofSeconds(5), "exogate.exotel.pool.pending-acquire-timeout");
			maxIdleTime = positive(maxIdleTime, Duration.ofSeconds(30), "exogate.exotel.pool.max-idle-time");
		}

	}

	/**
	 * Retries and circuit breaking, per account and version.
	 *
	 * @param maxAttempts attempts of an idempotent request, first one included
	 * @param initialBackoff first wait between attempts; doubles each time
	 * @param maxRetryAfter the longest {@code Retry-After} honoured before giving up
	 * @param failureRateThreshold percentage of failures that opens the circuit
	 * @param slidingWindowSize calls the failure rate is measured over
	 * @param openStateWait how long an open circuit rejects calls
	 */
	public record Resilience(Integer maxAttempts, Duration initialBackoff, Duration maxRetryAfter,
			Integer failureRateThreshold, Integer slidingWindowSize, Duration openStateWait) {

		public Resilience {
			maxAttempts = (maxAttempts != null) ? maxAttempts : 3;
			if (maxAttempts < 1 || maxAttempts > 10) {
				throw new IllegalArgumentException("exogate.exotel.resilience.max-attempts must be 1 to 10");
			}
			initialBackoff = positive(initialBackoff, Duration.ofMillis(200), "exogate.exotel.resilience.initial-backoff");
			maxRetryAfter = positive(maxRetryAfter, Duration.ofSeconds(10), "exogate.exotel.resilience.max-retry-after");
			failureRateThreshold = (failureRateThreshold != null) ? failureRateThreshold : 50;
			if (failureRateThreshold < 1 || failureRateThreshold > 100) {
				throw new IllegalArgumentException("exogate.exotel.resilience.failure-rate-threshold must be 1 to 100");
			}
			slidingWindowSize = (slidingWindowSize != null) ? slidingWindowSize : 20;
			if (slidingWindowSize < 2) {
				throw new IllegalArgumentException("exogate.exotel.resilience.sliding-window-size must be at least 2");
			}
			openStateWait = positive(openStateWait, Duration.ofSeconds(30), "exogate.exotel.resilience.open-state-wait");
		}

	}

	/**
	 * Waiting for the request budget.
	 *
	 * @param maxWait the longest a request waits for budget before failing as rate limited
	 * @param maxQueue how many requests may wait at once; more fail at once as rate limited
	 */
	public record Budget(Duration maxWait, Integer maxQueue) {

		public Budget {
			maxWait = (maxWait != null) ? maxWait : Duration.ofSeconds(10);
			if (maxWait.isNegative()) {
				throw new IllegalArgumentException("exogate.exotel.budget.max-wait cannot be negative");
			}
			maxQueue = (maxQueue != null) ? maxQueue : 500;
			if (maxQueue < 0) {
				throw new IllegalArgumentException("exogate.exotel.budget.max-queue cannot be negative");
			}
		}

	}

	private static String region(String value) {
		if (value == null || value.isBlank()) {
			return "IN";
		}
		String code = value.trim().toUpperCase(java.util.Locale.ROOT);
		if (!PhoneNumbers.isRegion(code)) {
			String shown = (value.length() > 20) ? value.substring(0, 20) + "..." : value;
			throw new IllegalArgumentException("exogate.exotel.default-region must be an ISO 3166 two-letter country code"
					+ " with a known numbering plan, such as IN or SG; got '" + shown.replaceAll("\\p{Cntrl}", "?") + "'");
		}
		return code;
	}

	private static Duration positive(Duration value, Duration fallback, String key) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(key + " must be positive");
		}
		return value;
	}

}
