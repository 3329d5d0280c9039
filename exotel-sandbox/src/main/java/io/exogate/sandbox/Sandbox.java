package io.exogate.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A local Exotel: v1, v3 and v4 call APIs, signed recording media, per-account rate limits and
 * injectable faults on one port. Start one with {@link #start(SandboxSettings)} and point every
 * API version's base URL at {@link #baseUrl()}.
 */
public final class Sandbox implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Sandbox.class);

	/** Stands for the account SID in {@link SandboxSettings#statusCallbackUrl()}, percent-encoded as a URI holds it. */
	static final String ACCOUNT_PLACEHOLDER = "%7Baccount%7D";

	private final SandboxContext context;

	private final Exports exports;

	private final Stats stats = new Stats();

	private final RateLimiter rateLimiter;

	private final DisposableServer server;

	private volatile StatusCallbacks statusCallbacks;

	private Sandbox(SandboxSettings settings) {
		this.context = new SandboxContext(settings);
		this.exports = new Exports(this.context);
		this.rateLimiter = new RateLimiter(settings.clock());
		Credentials credentials = new Credentials(settings);
		SandboxRoutes routes = new SandboxRoutes(
				settings.adminEnabled() ? new AdminApi(this.context, this.stats, this::reset) : null,
				new ApiGate(this.context, credentials, this.stats, this.rateLimiter),
				new V1Api(this.context), new V3Api(this.context, this.exports), new V4Api(this.context),
				new MediaApi(this.context, credentials, this.exports, this.stats));
		this.server = HttpServer.create()
			.host(settings.host())
			.port(settings.port())
			.route(routes)
			.bindNow(Duration.ofSeconds(30));
		String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
		this.context.baseUrl("http://" + host + ":" + this.server.port());
		URI template = settings.statusCallbackUrl();
		this.statusCallbacks = (template != null) ? new StatusCallbacks(this.context,
				(account) -> URI.create(template.toString().replace(ACCOUNT_PLACEHOLDER, account))) : null;
		logger.info("Exotel sandbox listening on {} for accounts {}", baseUrl(),
				settings.accounts().stream().map(SandboxAccount::sid).toList());
	}

	/**
	 * Sends v1 status callbacks to these URLs from now on, each account's to its own (an account
	 * missing from the map sends none), in place of {@link SandboxSettings#statusCallbackUrl()}: for
	 * a receiver whose address is known only after the sandbox started.
	 */
	public synchronized void sendStatusCallbacks(Map<String, URI> urlsByAccount) {
		Map<String, URI> urls = Map.copyOf(urlsByAccount);
		StatusCallbacks previous = this.statusCallbacks;
		this.statusCallbacks = new StatusCallbacks(this.context, urls::get);
		if (previous != null) {
			previous.close();
		}
	}

	/** Starts a sandbox; it listens until {@link #close()}. */
	public static Sandbox start(SandboxSettings settings) {
		return new Sandbox(settings);
	}

	/** Starts a sandbox with {@link SandboxSettings#defaults()} on a free loopback port. */
	public static Sandbox start() {
		return start(SandboxSettings.defaults());
	}

	/** The URL every API version's base URL should point at, such as {@code http://127.0.0.1:41234}. */
	public String baseUrl() {
		return this.context.baseUrl();
	}

	/** The bound port. */
	public int port() {
		return this.server.port();
	}

	/** The settings it was started with. */
	public SandboxSettings settings() {
		return this.context.settings;
	}

	/** The request counters, as {@code GET /__sandbox/stats} reports them. */
	public Map<String, Long> stats() {
		return this.stats.snapshot();
	}

	/** Zeroes the counters and refills every rate-limit bucket. */
	public void reset() {
		this.stats.reset();
		this.rateLimiter.reset();
	}

	/** Blocks until the server is closed; for the standalone main. */
	void awaitClose() {
		this.server.onDispose().block();
	}

	@Override
	public void close() {
		StatusCallbacks callbacks = this.statusCallbacks;
		if (callbacks != null) {
			callbacks.close();
		}
		this.exports.close();
		this.server.disposeNow(Duration.ofSeconds(10));
	}

}
