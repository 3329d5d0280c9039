package io.exogate.sandbox;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Runs a sandbox handler under Reactor Netty: whole body in, answer out, nginx's 500 page on any failure. */
final class Exchange {

	private static final Logger logger = LoggerFactory.getLogger(Exchange.class);

	private Exchange() {
	}

	/** A Reactor Netty handler answering with {@code handler}. */
	static BiFunction<HttpServerRequest, HttpServerResponse, Mono<Void>> of(
			Function<SandboxRequest, Mono<SandboxResponse>> handler) {
		return (request, response) -> request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.map((body) -> toRequest(request, body))
			.flatMap(handler)
			.onErrorResume((ex) -> {
				logger.error("Sandbox failed on {} {}", request.method(), request.path(), ex);
				return Mono.just(SandboxResponse.internalError());
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

}
