package io.exogate.gateway.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A graphql-transport-ws client in raw frames, to see what a server sends and how it closes: sends
 * {@code connection_init} with a payload, then each query as a {@code subscribe}, one after the other's
 * answer, once {@code connection_ack} came (or at once, when eager), and hangs up when all are answered.
 *
 * @param target the path and query the handshake asks for
 * @param headers the handshake's headers
 * @param init the {@code connection_init} payload, or {@code null} to send none
 * @param eager whether the queries go out right after the {@code connection_init}, without waiting
 * @param idle how long to stay silent after {@code connection_ack} before the first query
 */
record RawGraphQlWebSocket(String target, HttpHeaders headers, Map<String, Object> init, boolean eager, Duration idle) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static RawGraphQlWebSocket init(Map<String, Object> payload) {
		return new RawGraphQlWebSocket("/graphql", new HttpHeaders(), payload, false, Duration.ZERO);
	}

	/** The handshake headers plus one. */
	RawGraphQlWebSocket header(String name, String value) {
		HttpHeaders copy = new HttpHeaders();
		copy.addAll(this.headers);
		copy.add(name, value);
		return new RawGraphQlWebSocket(this.target, copy, this.init, this.eager, this.idle);
	}

	RawGraphQlWebSocket at(String target) {
		return new RawGraphQlWebSocket(target, this.headers, this.init, this.eager, this.idle);
	}

	RawGraphQlWebSocket eagerly() {
		return new RawGraphQlWebSocket(this.target, this.headers, this.init, true, this.idle);
	}

	RawGraphQlWebSocket idleFor(Duration idle) {
		return new RawGraphQlWebSocket(this.target, this.headers, this.init, this.eager, idle);
	}

	/** What the server sent, in order, and the close status it ended with. */
	record Outcome(List<JsonNode> frames, CloseStatus close) {

		List<String> types() {
			return this.frames.stream().map((frame) -> frame.path("type").asString()).toList();
		}

		/** The {@code payload} of each {@code next}. */
		List<JsonNode> results() {
			return this.frames.stream().filter((frame) -> frame.path("type").asString().equals("next"))
				.map((frame) -> frame.path("payload")).toList();
		}

	}

	Outcome run(int port, String... queries) {
		return subscribe(port, Arrays.stream(queries).<Map<String, Object>>map((query) -> Map.of("query", query)).toList());
	}

	/** Like {@link #run}, each {@code subscribe} with a payload of its own, as sent. */
	Outcome subscribe(int port, List<Map<String, Object>> payloads) {
		List<JsonNode> frames = new CopyOnWriteArrayList<>();
		AtomicReference<CloseStatus> close = new AtomicReference<>();
		URI uri = URI.create("ws://127.0.0.1:" + port + this.target);
		new ReactorNettyWebSocketClient().execute(uri, this.headers, new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return List.of("graphql-transport-ws");
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				return converse(session, payloads, frames, close);
			}

		}).block(Duration.ofSeconds(30));
		return new Outcome(List.copyOf(frames), close.get());
	}

	private Mono<Void> converse(WebSocketSession session, List<Map<String, Object>> payloads, List<JsonNode> frames,
			AtomicReference<CloseStatus> close) {
		Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger answered = new AtomicInteger();
		Runnable sendNext = () -> {
			int next = sent.getAndIncrement();
			if (next < payloads.size()) {
				emit(out, frame(Map.of("type", "subscribe", "id", Integer.toString(next), "payload", payloads.get(next))));
			}
		};
		if (this.init != null) {
			emit(out, frame(Map.of("type", "connection_init", "payload", this.init)));
		}
		if (this.eager || this.init == null) {
			for (int i = 0; i < payloads.size(); i++) {
				sendNext.run();
			}
		}
		Mono<Void> receive = session.receive().map(WebSocketMessage::getPayloadAsText).concatMap((text) -> {
			JsonNode frame = JSON.readTree(text);
			frames.add(frame);
			String type = frame.path("type").asString();
			if (type.equals("connection_ack") && !this.eager) {
				return Mono.delay(this.idle).doOnNext((tick) -> sendNext.run()).then();
			}
			if (type.equals("complete") || type.equals("error")) {
				if (answered.incrementAndGet() == payloads.size()) {
					return session.close(CloseStatus.NORMAL);
				}
				if (!this.eager) {
					sendNext.run();
				}
			}
			return Mono.empty();
		}).doFinally((signal) -> out.tryEmitComplete()).then();
		Mono<Void> closed = session.closeStatus().doOnNext(close::set).then();
		return Mono.when(session.send(out.asFlux().map(session::textMessage)), receive, closed);
	}

	private static void emit(Sinks.Many<String> out, String frame) {
		out.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
	}

	private static String frame(Map<String, Object> frame) {
		return JSON.writeValueAsString(frame);
	}

}
