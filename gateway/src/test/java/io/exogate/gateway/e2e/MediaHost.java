package io.exogate.gateway.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A media host for the playback tests, apart from the sandbox: it records every request's path and
 * {@code Authorization} header, and answers as told — 401 like a private link, a redirect, an endless
 * stream produced only as fast as it is read (counting the bytes produced and the streams open), a
 * few bytes and then silence, or 403 like a signed link that expired.
 */
final class MediaHost implements AutoCloseable {

	/** How it answers. */
	enum Mode {

		UNAUTHORIZED, REDIRECT, ENDLESS, STALL, FORBIDDEN

	}

	/** One request as received. */
	record Seen(String method, String path, String authorization) {
	}

	static final int CHUNK = 8 * 1024;

	/** What {@link Mode#STALL} sends before falling silent. */
	static final int STALL_AFTER = 1000;

	final List<Seen> seen = new CopyOnWriteArrayList<>();

	/** Bytes of the endless streams produced so far (taken by the server's writes, so read by the other side or buffered). */
	final AtomicLong produced = new AtomicLong();

	/** Endless streams open now. */
	final AtomicInteger streaming = new AtomicInteger();

	/** Endless streams ended because the other side went away. */
	final AtomicInteger cancelled = new AtomicInteger();

	volatile Mode mode = Mode.UNAUTHORIZED;

	volatile String redirectTo = "http://127.0.0.1:9/elsewhere";

	private final DisposableServer server;

	MediaHost() {
		byte[] chunk = new byte[CHUNK];
		for (int i = 0; i < chunk.length; i++) {
			chunk[i] = (byte) i;
		}
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			this.seen.add(new Seen(request.method().name(), request.uri(), request.requestHeaders().get("Authorization")));
			return switch (this.mode) {
				case UNAUTHORIZED -> response.status(401).header("WWW-Authenticate", "Basic realm=\"Exotel\"").send();
				case FORBIDDEN -> response.status(403).send();
				case REDIRECT -> response.status(302).header("Location", this.redirectTo).send();
				case STALL -> response.status(200)
					.header("Content-Type", "audio/mpeg")
					.header("Content-Length", "100000")
					.send(Flux.just(Unpooled.wrappedBuffer(new byte[STALL_AFTER])).concatWith(Mono.never()));
				case ENDLESS -> response.status(200)
					.header("Content-Type", "audio/mpeg")
					.header("Content-Length", String.valueOf(Long.MAX_VALUE / 2))
					.send(Flux.<ByteBuf>generate((sink) -> {
						this.produced.addAndGet(CHUNK);
						sink.next(Unpooled.wrappedBuffer(chunk));
					})
						.doOnSubscribe((subscription) -> this.streaming.incrementAndGet())
						.doOnCancel(this.cancelled::incrementAndGet)
						.doFinally((signal) -> this.streaming.decrementAndGet()), (buffer) -> true);
			};
		}).bindNow(Duration.ofSeconds(10));
	}

	/** {@code http://127.0.0.1:<port>}. */
	String origin() {
		return "http://127.0.0.1:" + this.server.port();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
