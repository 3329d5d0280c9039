package io.exogate.sandbox;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.HEAD;
import static io.netty.handler.codec.http.HttpMethod.POST;

import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.MatchResult;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/** Every path and method the sandbox serves, in matching order, on Reactor Netty's {@link HttpServerRoutes}. */
final class SandboxRoutes implements Consumer<HttpServerRoutes> {

	private static final ApiEndpoint V1_LIST = ApiEndpoint.get(Dialect.V1, "v1.calls.list",
			"/v1/Accounts/([^/]+)/Calls(?:\\.json)?");

	private static final ApiEndpoint V1_GET = ApiEndpoint.get(Dialect.V1, "v1.calls.get",
			"/v1/Accounts/([^/]+)/Calls/([^/.]+)(?:\\.json)?");

	private static final ApiEndpoint V3_ACTIVE = ApiEndpoint.get(Dialect.V3, "v3.calls.active",
			"/v3/accounts/([^/]+)/calls/active");

	private static final ApiEndpoint V3_VOICE_LOG = ApiEndpoint.get(Dialect.V3, "v3.voice-logs.get",
			"/v3/accounts/([^/]+)/calls/([^/]+)/voice-logs");

	private static final ApiEndpoint V3_CALL = ApiEndpoint.get(Dialect.V3, "v3.calls.get", "/v3/accounts/([^/]+)/calls/([^/]+)");

	private static final ApiEndpoint V3_BULK = ApiEndpoint.post(Dialect.V3, "v3.voice-logs.bulk",
			"/v3/accounts/([^/]+)/voice-logs/bulk");

	private static final ApiEndpoint V3_EXPORT = ApiEndpoint.post(Dialect.V3, "v3.voice-logs.export",
			"/v3/accounts/([^/]+)/voice-logs/export");

	private static final ApiEndpoint V4_LIST = ApiEndpoint.get(Dialect.V4, "v4.voicelogs.list", "/v4/accounts/([^/]+)/voicelogs");

	private static final ApiEndpoint V4_GET = ApiEndpoint.get(Dialect.V4, "v4.voicelogs.get",
			"/v4/accounts/([^/]+)/voicelogs/([^/]+)");

	private static final Route PRIVATE_RECORDING = Route.path("/exotelrecordings/([^/]+)/([^/._]+)(_dual)?\\.(mp3|wav)");

	private static final Route SIGNED_RECORDING = Route.path("/media/([^/]+)/([^/.]+)\\.(mp3|wav)");

	private static final Route EXPORT_ARCHIVE = Route.path("/exports/([^/]+)/([^/.]+)\\.zip");

	private final AdminApi admin;

	private final ApiGate gate;

	private final V1Api v1;

	private final V3Api v3;

	private final V4Api v4;

	private final MediaApi media;

	/** Routes without {@code admin} serve no {@code /__sandbox/} path. */
	SandboxRoutes(AdminApi admin, ApiGate gate, V1Api v1, V3Api v3, V4Api v4, MediaApi media) {
		this.admin = admin;
		this.gate = gate;
		this.v1 = v1;
		this.v3 = v3;
		this.v4 = v4;
		this.media = media;
	}

	@Override
	public void accept(HttpServerRoutes routes) {
		if (this.admin != null) {
			routes.route(Route.path("/__sandbox/stats").with(GET), answer(this.admin::stats))
				.route(Route.path("/__sandbox/reset").with(POST), answer(this.admin::reset))
				.route(Route.path("/__sandbox/faults").with(GET), answer(this.admin::faults))
				.route(Route.path("/__sandbox/faults").with(POST), answer(this.admin::changeFaults))
				.route(Route.path("/__sandbox/faults").with(DELETE), answer(this.admin::clearFaults));
		}
		api(routes, V1_LIST, (request, account, path) -> this.v1.list(request, account, json(request)));
		api(routes, V1_GET, (request, account, path) -> this.v1.get(request, account, path.group(2), json(request)));
		api(routes, V3_ACTIVE, (request, account, path) -> this.v3.active(account));
		api(routes, V3_VOICE_LOG, (request, account, path) -> this.v3.voiceLog(request, account, path.group(2)));
		api(routes, V3_CALL, (request, account, path) -> this.v3.call(account, path.group(2)));
		api(routes, V3_BULK, (request, account, path) -> this.v3.bulk(request, account));
		api(routes, V3_EXPORT, (request, account, path) -> this.v3.export(request, account));
		api(routes, V4_LIST, (request, account, path) -> this.v4.list(request, account));
		api(routes, V4_GET, (request, account, path) -> this.v4.get(account, path.group(2)));
		media(routes, PRIVATE_RECORDING, this.media::privateRecording);
		media(routes, SIGNED_RECORDING, this.media::signedRecording);
		media(routes, EXPORT_ARCHIVE, this.media::exportArchive);
		// What no route takes, /__sandbox/ too when the admin API is off.
		routes.route((request) -> true,
				Exchange.of((request) -> Mono.just(SandboxResponse.json(404, Json.write(Json.object("message", "Not Found"))))));
	}

	/**
	 * The endpoint with its documented method, then any other method on its path: 405 in the dialect's
	 * envelope. Declared in pairs, the first endpoint whose path matches answers whatever the method.
	 */
	private void api(HttpServerRoutes routes, ApiEndpoint endpoint, ApiGate.Handler handler) {
		routes.route(endpoint.path().with(endpoint.method()), Exchange.of((request) -> this.gate.pass(endpoint, request, handler)))
			.route(endpoint.path(), Exchange.of((request) -> this.gate.refuse(endpoint, request)));
	}

	/** Media answers {@code GET} and {@code HEAD}; another method answers 405 in S3's envelope. */
	private void media(HttpServerRoutes routes, Route route,
			BiFunction<SandboxRequest, MatchResult, Mono<SandboxResponse>> handler) {
		routes.route(route.with(GET, HEAD), Exchange.of((request) -> handler.apply(request, route.match(request.path()))))
			.route(route, Exchange.of(this.media::notAllowed));
	}

	private static BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> answer(
			Function<SandboxRequest, SandboxResponse> handler) {
		return Exchange.of((request) -> Mono.fromSupplier(() -> handler.apply(request)));
	}

	private static boolean json(SandboxRequest request) {
		return Dialect.V1.answersJson(request.path());
	}

}
