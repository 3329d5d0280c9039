package io.exogate.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The benchmark's limit: a bare Reactor Netty server that answers {@code POST /graphql} with the JSON body stored
 * under one Redis key, read through one Lettuce connection, with no GraphQL, security or upstream work.
 *
 * <p>Usage: {@code java -jar limit-server.jar <port> <redis-url>}. The key read is
 * {@code exogate-bench:answer:<X-Bench-Key header>} ({@code recording} when the header is absent); a missing key
 * answers 404. {@code GET /ready} answers 204 once Redis answers.
 */
public final class LimitServer {

	private static final Logger log = LoggerFactory.getLogger(LimitServer.class);

	static final String KEY_PREFIX = "exogate-bench:answer:";

	private LimitServer() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 2) {
			log.error("usage: java -jar limit-server.jar <port> <redis-url>");
			System.exit(2);
		}
		int port = Integer.parseInt(args[0]);
		RedisClient client = RedisClient.create(args[1]);
		StatefulRedisConnection<String, byte[]> connection = client
			.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
		RedisReactiveCommands<String, byte[]> redis = connection.reactive();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route((routes) -> routes.post("/graphql", (request, response) -> answer(redis, request, response))
				.get("/ready", (request, response) -> redis.ping()
					.then(response.status(HttpResponseStatus.NO_CONTENT).send())))
			.bindNow();
		log.info("limit server on http://127.0.0.1:{}/graphql", server.port());
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.disposeNow();
			connection.close();
			client.shutdown();
			stopped.countDown();
		}));
		stopped.await();
	}

	private static Mono<Void> answer(RedisReactiveCommands<String, byte[]> redis, HttpServerRequest request,
			HttpServerResponse response) {
		String name = request.requestHeaders().get("X-Bench-Key", "recording");
		return request.receive()
			.then(redis.get(KEY_PREFIX + name))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((body) -> body.isPresent() ? send(response, HttpResponseStatus.OK, body.get())
					: send(response, HttpResponseStatus.NOT_FOUND,
							"{\"errors\":[{\"message\":\"no answer stored under this X-Bench-Key\"}]}"
								.getBytes(StandardCharsets.UTF_8)));
	}

	private static Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, byte[] body) {
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
			.sendByteArray(Mono.just(body))
			.then();
	}

}
