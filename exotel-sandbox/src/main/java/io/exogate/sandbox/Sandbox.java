package io.exogate.sandbox;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
import tools.jackson.databind.JsonNode;

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

	private final AtomicInteger rateLimitPerMinute;

	private final Map<Dialect, AtomicReference<Fault>> faults = new LinkedHashMap<>();

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
		this.rateLimitPerMinute = new AtomicInteger(settings.rateLimitPerMinute());
		for (Dialect dialect : Dialect.values()) {
			this.faults.put(dialect, new AtomicReference<>(Fault.NONE));
		}
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
				if (route.dialect != null) {
					return api(route, matcher, request);
				}
				Mono<SandboxResponse> media = Mono.fromSupplier(() -> media(route, matcher, request));
				// An export archive is built in memory: not on an event-loop thread.
				return (route == Route.EXPORT_ZIP) ? media.subscribeOn(Schedulers.boundedElastic()) : media;
			}
		}
		return Mono.just(SandboxResponse.json(404, Json.write(Json.object("message", "Not Found"))));
	}

	private Mono<SandboxResponse> api(Route route, Matcher matcher, SandboxRequest request) {
		this.stats.increment(route.key);
		Fault fault = this.faults.get(route.dialect).get();
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
		SandboxAccount account = authenticate(route.dialect, accountSid, request);
		if (account == null) {
			return error(route, 401, "Authentication failed", json);
		}
		int perMinute = (fault.rateLimitPerMinute() > 0) ? fault.rateLimitPerMinute() : this.rateLimitPerMinute.get();
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

	private SandboxAccount authenticate(Dialect dialect, String accountSid, SandboxRequest request) {
		SandboxAccount account = this.context.settings.account(accountSid);
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

	private SandboxResponse forced(Route route, int status, boolean json) {
		if (status == 429) {
			this.stats.increment("rate_limited");
			return rateLimited(Duration.ofSeconds(30), this.rateLimitPerMinute.get());
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

	private SandboxResponse media(Route route, Matcher matcher, SandboxRequest request) {
		this.stats.increment("media");
		if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
			return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
		}
		String accountSid = matcher.group(1);
		String id = matcher.group(2);
		Instant now = this.context.now();
		if (route == Route.MEDIA_PRIVATE) {
			SandboxAccount account = authenticate(Dialect.V1, accountSid, request);
			if (account == null) {
				return s3Error(401, "Unauthorized", "Recording URLs require the account's API key and token.")
					.withHeader("www-authenticate", "Basic realm=\"Exotel\"");
			}
			return playable(request, accountSid, id, "mp3", "single", now);
		}
		String channel = request.param("channel");
		String expires = request.param("expires");
		String signature = request.param("signature");
		long expiresAt;
		try {
			expiresAt = Long.parseLong(expires);
		}
		catch (NumberFormatException ex) {
			return s3Error(403, "AccessDenied", "Request is missing a valid signature.");
		}
		if (channel == null || !this.context.signer.verify(request.path(), channel, expiresAt, signature)) {
			return s3Error(403, "AccessDenied", "The request signature does not match.");
		}
		if (now.getEpochSecond() >= expiresAt) {
			return s3Error(403, "AccessDenied", "Request has expired.");
		}
		if (route == Route.EXPORT_ZIP) {
			Exports.Export export = this.exports.find(accountSid, id);
			if (export == null) {
				return s3Error(404, "NoSuchKey", "The specified key does not exist.");
			}
			return Media.serveBytes(request, this.exports.archive(export), "application/zip");
		}
		return playable(request, accountSid, id, matcher.group(3), channel, now);
	}

	private SandboxResponse playable(SandboxRequest request, String accountSid, String callSid, String format,
			String channel, Instant now) {
		SandboxCall call = (this.context.settings.account(accountSid) != null)
				? this.context.store.find(accountSid, callSid, now) : null;
		if (call == null || !"available".equals(this.context.recordingState(call, now))) {
			return s3Error(404, "NoSuchKey", "The specified key does not exist.");
		}
		return Media.serve(request, call, format, channel);
	}

	private static SandboxResponse s3Error(int status, String code, String message) {
		return SandboxResponse.xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
				+ "</Code><Message>" + message + "</Message></Error>\n");
	}

	private SandboxResponse admin(SandboxRequest request) {
		if (!this.context.settings.adminEnabled()) {
			return SandboxResponse.json(404, Json.write(Json.object("message", "Not Found")));
		}
		String key = request.method() + " " + request.path();
		try {
			return switch (key) {
				case "GET /__sandbox/stats" -> SandboxResponse.json(200, Json.write(this.stats.snapshot()));
				case "POST /__sandbox/reset" -> {
					reset();
					yield SandboxResponse.json(200, Json.write(this.stats.snapshot()));
				}
				case "GET /__sandbox/faults" -> SandboxResponse.json(200, Json.write(settingsView()));
				case "POST /__sandbox/faults" -> {
					applyFaults(request.body());
					yield SandboxResponse.json(200, Json.write(settingsView()));
				}
				case "DELETE /__sandbox/faults" -> {
					this.faults.values().forEach((fault) -> fault.set(Fault.NONE));
					yield SandboxResponse.json(200, Json.write(settingsView()));
				}
				default -> SandboxResponse.json(404, Json.write(Json.object("message", "Not Found")));
			};
		}
		catch (IllegalArgumentException ex) {
			return SandboxResponse.json(400, Json.write(Json.object("message", ex.getMessage())));
		}
	}

	private Map<String, Object> settingsView() {
		Map<String, Object> view = new LinkedHashMap<>();
		this.faults.forEach((dialect, fault) -> view.put(dialect.key(), Json.object(
				"latencyMs", fault.get().latency().toMillis(),
				"errorRate", fault.get().errorRate(),
				"forcedStatus", fault.get().forcedStatus(),
				"rateLimitPerMinute", fault.get().rateLimitPerMinute())));
		view.put("rateLimitPerMinute", this.rateLimitPerMinute.get());
		view.put("signedUrlLifetimeSeconds", this.context.signedUrlLifetime.get().getSeconds());
		view.put("processingDelaySeconds", this.context.processingDelay.get().getSeconds());
		return view;
	}

	/** Applies a partial fault and settings update; validates everything before changing anything. */
	private void applyFaults(String body) {
		JsonNode root;
		try {
			root = Json.read(body.isBlank() ? "{}" : body);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The body must be a JSON object");
		}
		if (root == null || !root.isObject()) {
			throw new IllegalArgumentException("The body must be a JSON object");
		}
		Map<Dialect, Fault> newFaults = new LinkedHashMap<>();
		Integer newBudget = null;
		Duration newLifetime = null;
		Duration newDelay = null;
		for (String field : root.propertyNames()) {
			JsonNode value = root.get(field);
			switch (field) {
				case "v1", "v3", "v4" -> {
					Dialect dialect = Dialect.valueOf(field.toUpperCase(Locale.ROOT));
					newFaults.put(dialect, fault(this.faults.get(dialect).get(), value, field));
				}
				case "rateLimitPerMinute" -> newBudget = positiveInt(value, field);
				case "signedUrlLifetimeSeconds" -> newLifetime = Duration.ofSeconds(positiveInt(value, field));
				case "processingDelaySeconds" -> newDelay = Duration.ofSeconds(notNegativeInt(value, field));
				default -> throw new IllegalArgumentException("Unknown setting '" + field + "'");
			}
		}
		newFaults.forEach((dialect, fault) -> this.faults.get(dialect).set(fault));
		if (newBudget != null) {
			this.rateLimitPerMinute.set(newBudget);
		}
		if (newLifetime != null) {
			this.context.signedUrlLifetime.set(newLifetime);
		}
		if (newDelay != null) {
			this.context.processingDelay.set(newDelay);
		}
	}

	private static Fault fault(Fault current, JsonNode node, String dialect) {
		if (!node.isObject()) {
			throw new IllegalArgumentException(dialect + " must be an object");
		}
		Duration latency = current.latency();
		double errorRate = current.errorRate();
		int forcedStatus = current.forcedStatus();
		int budget = current.rateLimitPerMinute();
		for (String field : node.propertyNames()) {
			JsonNode value = node.get(field);
			switch (field) {
				case "latencyMs" -> latency = Duration.ofMillis(notNegativeInt(value, dialect + "." + field));
				case "errorRate" -> {
					if (!value.isNumber()) {
						throw new IllegalArgumentException(dialect + ".errorRate must be a number");
					}
					errorRate = value.asDouble();
				}
				case "forcedStatus" -> forcedStatus = notNegativeInt(value, dialect + "." + field);
				case "rateLimitPerMinute" -> budget = notNegativeInt(value, dialect + "." + field);
				default -> throw new IllegalArgumentException("Unknown fault '" + dialect + "." + field + "'");
			}
		}
		return new Fault(latency, errorRate, forcedStatus, budget);
	}

	private static int positiveInt(JsonNode value, String name) {
		int number = notNegativeInt(value, name);
		if (number < 1) {
			throw new IllegalArgumentException(name + " must be at least 1");
		}
		return number;
	}

	private static int notNegativeInt(JsonNode value, String name) {
		if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
			throw new IllegalArgumentException(name + " must be a whole number, zero or more");
		}
		return value.asInt();
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

}
