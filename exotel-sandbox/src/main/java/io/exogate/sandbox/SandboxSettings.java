package io.exogate.sandbox;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a sandbox is started. {@link #defaults()} gives the documented demo accounts and Exotel's
 * documented limits; every value can be changed with {@link #toBuilder()}.
 *
 * @param host the address to bind, loopback by default
 * @param port the port, 0 for a free one
 * @param accounts the accounts served
 * @param seed the seed all generated data derives from
 * @param callsPerAccount how many historical calls each account has
 * @param history how far back the historical calls reach from the sandbox's start
 * @param liveCallInterval how often a new live call starts per account
 * @param wrapUp how long after a call ends Exotel still reports it as wrapping up
 * @param processingDelay how long after a call ends its recording stays in processing
 * @param signedUrlLifetime how long a signed media URL from v3 or v4 lives
 * @param rateLimitPerMinute each account's request budget per minute, over all dialects
 * @param adminEnabled whether {@code /__sandbox/} endpoints answer
 * @param exportDelay how long a recording export takes before its callback is sent
 * @param statusCallbackUrl where v1 status callbacks are POSTed when a live call ends, or {@code null};
 * {@code %7Baccount%7D} in it ({@code {account}} percent-encoded) stands for the call's account SID
 * @param signingKey the key media URLs are signed with
 * @param clock the sandbox's clock
 * @param privateRecordingUrls whether v3 voice-logs hand out private, unsigned recording URLs that play only with
 * the account's API key and token (as Exotel does for accounts without pre-signed URLs) instead of signed ones
 * @param mediaBaseUrl where media URLs point, as Exotel's recordings live on another host than its APIs;
 * {@code null} for the sandbox's own base URL
 */
public record SandboxSettings(String host, int port, List<SandboxAccount> accounts, long seed, int callsPerAccount,
		Duration history, Duration liveCallInterval, Duration wrapUp, Duration processingDelay,
		Duration signedUrlLifetime, int rateLimitPerMinute, boolean adminEnabled, Duration exportDelay,
		URI statusCallbackUrl, String signingKey, Clock clock, boolean privateRecordingUrls, URI mediaBaseUrl) {

	/** The two demo accounts documented in the README. */
	public static final List<SandboxAccount> DEMO_ACCOUNTS = List.of(
			new SandboxAccount("exogate-demo", "demo-key", "demo-token", "demo-v4-token"),
			new SandboxAccount("exogate-demo-2", "demo2-key", "demo2-token", "demo2-v4-token"));

	public SandboxSettings {
		Objects.requireNonNull(host, "host");
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("port must be 0 to 65535");
		}
		accounts = List.copyOf(accounts);
		if (accounts.isEmpty()) {
			throw new IllegalArgumentException("The sandbox needs at least one account");
		}
		if (accounts.stream().map(SandboxAccount::sid).distinct().count() != accounts.size()) {
			throw new IllegalArgumentException("Account SIDs must be distinct");
		}
		if (callsPerAccount < 0) {
			throw new IllegalArgumentException("callsPerAccount cannot be negative");
		}
		requirePositive(history, "history");
		if (liveCallInterval == null || liveCallInterval.getSeconds() < 1) {
			throw new IllegalArgumentException("liveCallInterval must be at least one second");
		}
		requireNotNegative(wrapUp, "wrapUp");
		requireNotNegative(processingDelay, "processingDelay");
		requirePositive(signedUrlLifetime, "signedUrlLifetime");
		requireNotNegative(exportDelay, "exportDelay");
		if (rateLimitPerMinute < 1) {
			throw new IllegalArgumentException("rateLimitPerMinute must be at least 1");
		}
		if (signingKey == null || signingKey.length() < 16) {
			throw new IllegalArgumentException("signingKey must have at least 16 characters");
		}
		Objects.requireNonNull(clock, "clock");
		if (mediaBaseUrl != null && (!mediaBaseUrl.isAbsolute() || mediaBaseUrl.getHost() == null
				|| !("http".equals(mediaBaseUrl.getScheme()) || "https".equals(mediaBaseUrl.getScheme()))
				|| mediaBaseUrl.getQuery() != null)) {
			throw new IllegalArgumentException("mediaBaseUrl must be an absolute http(s) URL without a query");
		}
	}

	/** Loopback, a free port, the demo accounts, 5,000 calls each over 60 days, 200 requests/minute. */
	public static SandboxSettings defaults() {
		return new SandboxSettings("127.0.0.1", 0, DEMO_ACCOUNTS, 20241015L, 5000, Duration.ofDays(60),
				Duration.ofSeconds(45), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofHours(24), 200, true,
				Duration.ofSeconds(5), null, randomKey(), Clock.systemUTC(), false, null);
	}

	public Builder toBuilder() {
		return new Builder(this);
	}

	/** The account with this SID, or {@code null}. */
	public SandboxAccount account(String sid) {
		return this.accounts.stream().filter((account) -> account.sid().equals(sid)).findFirst().orElse(null);
	}

	@Override
	public String toString() {
		return "SandboxSettings[host=" + this.host + ", port=" + this.port + ", accounts=" + this.accounts
				+ ", callsPerAccount=" + this.callsPerAccount + ", rateLimitPerMinute=" + this.rateLimitPerMinute + "]";
	}

	private static String randomKey() {
		byte[] bytes = new byte[32];
		new java.security.SecureRandom().nextBytes(bytes);
		return java.util.HexFormat.of().formatHex(bytes);
	}

	private static void requirePositive(Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
	}

	private static void requireNotNegative(Duration value, String name) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(name + " cannot be negative");
		}
	}

	/** Changes settings one value at a time. */
	public static final class Builder {

		private String host;
		private int port;
		private List<SandboxAccount> accounts;
		private long seed;
		private int callsPerAccount;
		private Duration history;
		private Duration liveCallInterval;
		private Duration wrapUp;
		private Duration processingDelay;
		private Duration signedUrlLifetime;
		private int rateLimitPerMinute;
		private boolean adminEnabled;
		private Duration exportDelay;
		private URI statusCallbackUrl;
		private String signingKey;
		private Clock clock;
		private boolean privateRecordingUrls;
		private URI mediaBaseUrl;

		private Builder(SandboxSettings s) {
			this.host = s.host;
			this.port = s.port;
			this.accounts = s.accounts;
			this.seed = s.seed;
			this.callsPerAccount = s.callsPerAccount;
			this.history = s.history;
			this.liveCallInterval = s.liveCallInterval;
			this.wrapUp = s.wrapUp;
			this.processingDelay = s.processingDelay;
			this.signedUrlLifetime = s.signedUrlLifetime;
			this.rateLimitPerMinute = s.rateLimitPerMinute;
			this.adminEnabled = s.adminEnabled;
			this.exportDelay = s.exportDelay;
			this.statusCallbackUrl = s.statusCallbackUrl;
			this.signingKey = s.signingKey;
			this.clock = s.clock;
			this.privateRecordingUrls = s.privateRecordingUrls;
			this.mediaBaseUrl = s.mediaBaseUrl;
		}

		public Builder host(String host) {
			this.host = host;
			return this;
		}

		public Builder port(int port) {
			this.port = port;
			return this;
		}

		public Builder accounts(List<SandboxAccount> accounts) {
			this.accounts = accounts;
			return this;
		}

		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		public Builder callsPerAccount(int callsPerAccount) {
			this.callsPerAccount = callsPerAccount;
			return this;
		}

		public Builder history(Duration history) {
			this.history = history;
			return this;
		}

		public Builder liveCallInterval(Duration liveCallInterval) {
			this.liveCallInterval = liveCallInterval;
			return this;
		}

		public Builder wrapUp(Duration wrapUp) {
			this.wrapUp = wrapUp;
			return this;
		}

		public Builder processingDelay(Duration processingDelay) {
			this.processingDelay = processingDelay;
			return this;
		}

		public Builder signedUrlLifetime(Duration signedUrlLifetime) {
			this.signedUrlLifetime = signedUrlLifetime;
			return this;
		}

		public Builder rateLimitPerMinute(int rateLimitPerMinute) {
			this.rateLimitPerMinute = rateLimitPerMinute;
			return this;
		}

		public Builder adminEnabled(boolean adminEnabled) {
			this.adminEnabled = adminEnabled;
			return this;
		}

		public Builder exportDelay(Duration exportDelay) {
			this.exportDelay = exportDelay;
			return this;
		}

		public Builder statusCallbackUrl(URI statusCallbackUrl) {
			this.statusCallbackUrl = statusCallbackUrl;
			return this;
		}

		public Builder signingKey(String signingKey) {
			this.signingKey = signingKey;
			return this;
		}

		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		public Builder privateRecordingUrls(boolean privateRecordingUrls) {
			this.privateRecordingUrls = privateRecordingUrls;
			return this;
		}

		public Builder mediaBaseUrl(URI mediaBaseUrl) {
			this.mediaBaseUrl = mediaBaseUrl;
			return this;
		}

		public SandboxSettings build() {
			return new SandboxSettings(this.host, this.port, this.accounts, this.seed, this.callsPerAccount,
					this.history, this.liveCallInterval, this.wrapUp, this.processingDelay, this.signedUrlLifetime,
					this.rateLimitPerMinute, this.adminEnabled, this.exportDelay, this.statusCallbackUrl,
					this.signingKey, this.clock, this.privateRecordingUrls, this.mediaBaseUrl);
		}

	}

}
