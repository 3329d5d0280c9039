package io.exogate.sandbox;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A local Exotel: v1, v3 and v4 call APIs, signed recording media, per-account rate limits and
 * injectable faults on one port. Start one with {@link #start(SandboxSettings)} and point every
 * API version's base URL at {@link #baseUrl()}.
 */
public final class Sandbox implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Sandbox.class);

	private static final String INTERNAL_ERROR_HTML = "<html><head><title>500 Internal Server Error</title></head>"
			+ "<body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>\n";

	private final SandboxContext context;

	private final V1Api v1;

	private final V3Api v3;

	private final V4Api v4;

	private final Exports exports;

	private final Stats stats = new Stats();

	private final RateLimiter rateLimiter;

	private final AdminApi admin;

	private final Credentials credentials;

	private final MediaApi media;

	private final SplittableRandom random;

	private final DisposableServer server;

	private final StatusCallbacks statusCallbacks;

	private Sandbox(SandboxSettings settings) {
		this.context = new SandboxContext(settings);
		this.exports = new Exports(this.context);
		this.v1 = new V1Api(this.context);
		this.v3 = new V3Api(this.context, this.exports);
		this.v4 = new V4Api(this.context);
		this.rateLimiter = new RateLimiter(settings.clock());
		this.admin = new AdminApi(this.context, this.stats, this::reset);
		this.credentials = new Credentials(settings);
		this.media = new MediaApi(this.context, this.credentials, this.exports, this.stats);
		this.random = new SplittableRandom(settings.seed());
		this.server = HttpServer.create()
			.host(settings.host())
			.port(settings.port())
			.handle(this::handle)
			.bindNow(Duration.ofSeconds(30));
		String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
		this.context.baseUrl("http://" + host + ":" + this.server.port());
		this.statusCallbacks = (settings.statusCallbackUrl() != null)
				? new StatusCallbacks(this.context, settings.statusCallbackUrl()) : null;
		logger.info("Exotel sandbox listening on {} for accounts {}", baseUrl(),
				settings.accounts().stream().map(SandboxAccount::sid).toList());
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
		if (this.statusCallbacks != null) {
			this.statusCallbacks.close();
		}
		this.exports.close();
		this.server.disposeNow(Duration.ofSeconds(10));
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.map((body) -> toRequest(request, body))
			.flatMap(this::dispatch)
			.onErrorResume((ex) -> {
				logger.error("Sandbox failed on {} {}", request.method(), request.path(), ex);
				return Mono.just(SandboxResponse.html(500, INTERNAL_ERROR_HTML));
			})
			.flatMap((answer) -> {
				response.status(answer.status());
				answer.headers().forEach(response::header);
				return response.sendByteArray(answer.body()).then();
			});
	}

	private static SandboxRequest toRequest(HttpServerRequest request, String body) {
		QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
		Map<String, String> headers = new LinkedHashMap<>();
		request.requestHeaders().forEach((header) -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
		return new SandboxRequest(request.method().name(), decoder.path(), decoder.parameters(), headers, body);
	}

	Mono<SandboxResponse> dispatch(SandboxRequest request) {
		String path = request.path();
		if (path.startsWith("/__sandbox/")) {
			return Mono.fromSupplier(() -> admin(request));
		}
		for (Route route : Route.values()) {
			Matcher matcher = route.pattern.matcher(path);
			if (matcher.matches()) {
				return (route.dialect != null) ? api(route, matcher, request) : media(route, matcher, request);
			}
		}
		return Mono.just(SandboxResponse.json(404, Json.write(Json.object("message", "Not Found"))));
	}

	private Mono<SandboxResponse> api(Route route, Matcher matcher, SandboxRequest request) {
		this.stats.increment(route.key);
		Fault fault = this.context.faults.get(route.dialect);
		Mono<SandboxResponse> answer = Mono.fromSupplier(() -> answer(route, matcher, request, fault));
		return fault.latency().isZero() ? answer
				: Mono.delay(fault.latency(), Schedulers.parallel()).then(answer);
	}

	private SandboxResponse answer(Route route, Matcher matcher, SandboxRequest request, Fault fault) {
		boolean json = route.dialect != Dialect.V1 || request.path().endsWith(".json");
		if (!route.method.equals(request.method())) {
			return error(route, 405, "Method " + request.method() + " is not allowed here", json);
		}
		if (fault.forcedStatus() != 0) {
			return forced(route, fault.forcedStatus(), json);
		}
		if (fault.errorRate() > 0 && nextDouble() < fault.errorRate()) {
			return SandboxResponse.html(500, INTERNAL_ERROR_HTML);
		}
		String accountSid = matcher.group(1);
		SandboxAccount account = this.credentials.authenticate(route.dialect, accountSid, request);
		if (account == null) {
			return error(route, 401, "Authentication failed", json);
		}
		int perMinute = (fault.rateLimitPerMinute() > 0) ? fault.rateLimitPerMinute() : this.context.rateLimitPerMinute.get();
		String scope = (fault.rateLimitPerMinute() > 0) ? route.dialect.key() : "account";
		Duration wait = this.rateLimiter.acquire(account.sid(), scope, perMinute);
		if (!wait.isZero()) {
			this.stats.increment("rate_limited");
			return rateLimited(wait, perMinute);
		}
		try {
			SandboxResponse response = switch (route) {
				case V1_LIST -> this.v1.list(request, account, json);
				case V1_GET -> this.v1.get(request, account, matcher.group(2), json);
				case V3_ACTIVE -> this.v3.active(account);
				case V3_VOICE_LOG -> this.v3.voiceLog(request, account, matcher.group(2));
				case V3_CALL -> this.v3.call(account, matcher.group(2));
				case V3_BULK -> this.v3.bulk(request, account);
				case V3_EXPORT -> this.v3.export(request, account);
				case V4_LIST -> this.v4.list(request, account);
				case V4_GET -> this.v4.get(account, matcher.group(2));
				default -> throw new IllegalStateException("No handler for " + route);
			};
			return response.withHeader("x-ratelimit-limit", String.valueOf(perMinute))
				.withHeader("x-ratelimit-remaining", String.valueOf(Math.max(0, this.rateLimiter.remaining(account.sid(), scope))));
		}
		catch (ApiError ex) {
			return error(route, ex.status, ex.getMessage(), json);
		}
	}

	private SandboxResponse forced(Route route, int status, boolean json) {
		if (status == 429) {
			this.stats.increment("rate_limited");
			return rateLimited(Duration.ofSeconds(30), this.context.rateLimitPerMinute.get());
		}
		if (status >= 500) {
			return SandboxResponse.html(status, INTERNAL_ERROR_HTML.replace("500 Internal Server Error", status + " Error"));
		}
		return error(route, status, "Forced by the sandbox", json);
	}

	private SandboxResponse rateLimited(Duration wait, int perMinute) {
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		String body = Json.write(Json.object("RestException", Json.object("Status", 429, "Message",
				"Rate limit exceeded. Try again in " + seconds + " seconds.", "Code", "RATE_LIMIT_EXCEEDED")));
		return SandboxResponse.json(429, body)
			.withHeader("retry-after", String.valueOf(seconds))
			.withHeader("x-ratelimit-limit", String.valueOf(perMinute))
			.withHeader("x-ratelimit-remaining", "0")
			.withHeader("x-ratelimit-reset", String.valueOf(this.context.now().plusSeconds(seconds).getEpochSecond()));
	}

	private static SandboxResponse error(Route route, int status, String message, boolean json) {
		return (route.dialect == Dialect.V1) ? V1Api.error(status, message, json)
				: V3Api.error(status, route.method, message);
	}

	private Mono<SandboxResponse> media(Route route, Matcher matcher, SandboxRequest request) {
		if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			return this.media.notAllowed(request);
		}
		return switch (route) {
			case MEDIA_PRIVATE -> this.media.privateRecording(request, matcher);
			case MEDIA_SIGNED -> this.media.signedRecording(request, matcher);
			default -> this.media.exportArchive(request, matcher);
		};
	}

	private SandboxResponse admin(SandboxRequest request) {
		if (!this.context.settings.adminEnabled()) {
			return SandboxResponse.json(404, Json.write(Json.object("message", "Not Found")));
		}
		return switch (request.method() + " " + request.path()) {
			case "GET /__sandbox/stats" -> this.admin.stats(request);
			case "POST /__sandbox/reset" -> this.admin.reset(request);
			case "GET /__sandbox/faults" -> this.admin.faults(request);
			case "POST /__sandbox/faults" -> this.admin.changeFaults(request);
			case "DELETE /__sandbox/faults" -> this.admin.clearFaults(request);
			default -> SandboxResponse.json(404, Json.write(Json.object("message", "Not Found")));
		};
	}

	private double nextDouble() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

	/** Every path the sandbox serves, in matching order. */
	private enum Route {

		V1_LIST(Dialect.V1, "GET", "v1.calls.list", "/v1/Accounts/([^/]+)/Calls(?:\\.json)?"),
		V1_GET(Dialect.V1, "GET", "v1.calls.get", "/v1/Accounts/([^/]+)/Calls/([^/.]+)(?:\\.json)?"),
		V3_ACTIVE(Dialect.V3, "GET", "v3.calls.active", "/v3/accounts/([^/]+)/calls/active"),
		V3_VOICE_LOG(Dialect.V3, "GET", "v3.voice-logs.get", "/v3/accounts/([^/]+)/calls/([^/]+)/voice-logs"),
		V3_CALL(Dialect.V3, "GET", "v3.calls.get", "/v3/accounts/([^/]+)/calls/([^/]+)"),
		V3_BULK(Dialect.V3, "POST", "v3.voice-logs.bulk", "/v3/accounts/([^/]+)/voice-logs/bulk"),
		V3_EXPORT(Dialect.V3, "POST", "v3.voice-logs.export", "/v3/accounts/([^/]+)/voice-logs/export"),
		V4_LIST(Dialect.V4, "GET", "v4.voicelogs.list", "/v4/accounts/([^/]+)/voicelogs"),
		V4_GET(Dialect.V4, "GET", "v4.voicelogs.get", "/v4/accounts/([^/]+)/voicelogs/([^/]+)"),
		MEDIA_PRIVATE(null, "GET", "media", "/exotelrecordings/([^/]+)/([^/.]+)\\.mp3"),
		MEDIA_SIGNED(null, "GET", "media", "/media/([^/]+)/([^/.]+)\\.(mp3|wav)"),
		EXPORT_ZIP(null, "GET", "media", "/exports/([^/]+)/([^/.]+)\\.zip");

		final Dialect dialect;

		final String method;

		final String key;

		final Pattern pattern;

		Route(Dialect dialect, String method, String key, String pattern) {
			this.dialect = dialect;
			this.method = method;
			this.key = key;
			this.pattern = Pattern.compile(pattern);
		}

	}

	static List<String> statsKeys() {
		return Stats.KEYS;
	}

}
