package io.exogate.sandbox;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.MatchResult;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** What stands before every API handler, in Exotel's order: counter, faults, method, credentials, rate budget. */
final class ApiGate {

	private final SandboxContext context;

	private final Credentials credentials;

	private final Stats stats;

	private final RateLimiter rateLimiter;

	private final SplittableRandom random;

	ApiGate(SandboxContext context, Credentials credentials, Stats stats, RateLimiter rateLimiter) {
		this.context = context;
		this.credentials = credentials;
		this.stats = stats;
		this.rateLimiter = rateLimiter;
		this.random = new SplittableRandom(context.settings.seed());
	}

	/** An endpoint's own work once the gate lets a request through; it may throw {@link ApiError}. */
	@FunctionalInterface
	interface Handler {

		SandboxResponse answer(SandboxRequest request, SandboxAccount account, MatchResult path);

	}

	/** Answers a request made with the endpoint's documented method. */
	Mono<SandboxResponse> pass(ApiEndpoint endpoint, SandboxRequest request, Handler handler) {
		MatchResult path = endpoint.path().match(request.path());
		return counted(endpoint, (fault) -> admit(endpoint, request, path, fault, handler));
	}

	/** Answers 405 to a request made with another method, counted and delayed like any other. */
	Mono<SandboxResponse> refuse(ApiEndpoint endpoint, SandboxRequest request) {
		return counted(endpoint, (fault) -> error(endpoint, 405, "Method " + request.method() + " is not allowed here",
				endpoint.dialect().answersJson(request.path())));
	}

	private Mono<SandboxResponse> counted(ApiEndpoint endpoint, Function<Fault, SandboxResponse> answer) {
		this.stats.increment(endpoint.key());
		Fault fault = this.context.faults.get(endpoint.dialect());
		Mono<SandboxResponse> response = Mono.fromSupplier(() -> answer.apply(fault));
		return fault.latency().isZero() ? response : Mono.delay(fault.latency(), Schedulers.parallel()).then(response);
	}

	private SandboxResponse admit(ApiEndpoint endpoint, SandboxRequest request, MatchResult path, Fault fault,
			Handler handler) {
		boolean json = endpoint.dialect().answersJson(request.path());
		if (fault.forcedStatus() != 0) {
			return forced(endpoint, fault.forcedStatus(), json);
		}
		if (fault.errorRate() > 0 && nextDouble() < fault.errorRate()) {
			return SandboxResponse.internalError();
		}
		SandboxAccount account = this.credentials.authenticate(endpoint.dialect(), path.group(1), request);
		if (account == null) {
			return error(endpoint, 401, "Authentication failed", json);
		}
		int perMinute = (fault.rateLimitPerMinute() > 0) ? fault.rateLimitPerMinute() : this.context.rateLimitPerMinute.get();
		String scope = (fault.rateLimitPerMinute() > 0) ? endpoint.dialect().key() : "account";
		Duration wait = this.rateLimiter.acquire(account.sid(), scope, perMinute);
		if (!wait.isZero()) {
			this.stats.increment("rate_limited");
			return rateLimited(wait, perMinute);
		}
		try {
			return handler.answer(request, account, path)
				.withHeader("x-ratelimit-limit", String.valueOf(perMinute))
				.withHeader("x-ratelimit-remaining", String.valueOf(Math.max(0, this.rateLimiter.remaining(account.sid(), scope))));
		}
		catch (ApiError ex) {
			return error(endpoint, ex.status, ex.getMessage(), json);
		}
	}

	private SandboxResponse forced(ApiEndpoint endpoint, int status, boolean json) {
		if (status == 429) {
			this.stats.increment("rate_limited");
			return rateLimited(Duration.ofSeconds(30), this.context.rateLimitPerMinute.get());
		}
		if (status >= 500) {
			return SandboxResponse.nginx(status, "Error");
		}
		return error(endpoint, status, "Forced by the sandbox", json);
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

	private static SandboxResponse error(ApiEndpoint endpoint, int status, String message, boolean json) {
		return (endpoint.dialect() == Dialect.V1) ? V1Api.error(status, message, json)
				: V3Api.error(status, endpoint.method().name(), message);
	}

	private double nextDouble() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

}
