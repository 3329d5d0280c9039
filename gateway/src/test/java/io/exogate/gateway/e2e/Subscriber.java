package io.exogate.gateway.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One WebSocket connection to the gateway's {@code /graphql} (graphql-transport-ws, the API key in
 * {@code connection_init}) and what its subscriptions received: each {@code next} as a map, how each ended.
 */
final class Subscriber implements AutoCloseable {

	private final WebSocketGraphQlClient client;

	private final List<Disposable> running = new CopyOnWriteArrayList<>();

	private Subscriber(WebSocketGraphQlClient client) {
		this.client = client;
	}

	/** A connection, acknowledged, as the client holding {@code key}. */
	static Subscriber connect(int port, String key) {
		WebSocketGraphQlClient client = WebSocketGraphQlClient.builder("ws://127.0.0.1:" + port + "/graphql", new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {

				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of(E2eSupport.KEY_HEADER, key));
				}

			})
			.build();
		client.start().block(Duration.ofSeconds(10));
		return new Subscriber(client);
	}

	/** Subscribes; what arrives is collected in the returned {@link Received}. */
	Received subscribe(String document) {
		Received received = new Received();
		this.running.add(this.client.document(document)
			.executeSubscription()
			.map(ClientGraphQlResponse::toMap)
			.subscribe(received.results::add, (ex) -> received.error.set(ex), () -> received.completed.set(true)));
		received.stop = this.running.get(this.running.size() - 1);
		return received;
	}

	/** Closes the connection, as a client going away does. */
	@Override
	public void close() {
		this.running.forEach(Disposable::dispose);
		this.client.stop().block(Duration.ofSeconds(10));
	}

	/** A {@code recordingReady} subscription of the default format and channel. */
	static String recordingReady(String sid) {
		return "subscription { recordingReady(callSid: \"" + sid + "\") { callSid status url expiresAt playbackUrl } }";
	}

	/** The subscription's field (its only root) in a result, or below it by a dotted path. */
	@SuppressWarnings("unchecked")
	static Object path(Map<String, Object> result, String path) {
		Map<String, Object> data = (Map<String, Object>) result.get("data");
		Object value = data.values().iterator().next();
		for (String step : path.isEmpty() ? new String[0] : path.split("\\.")) {
			value = ((Map<String, Object>) value).get(step);
		}
		return value;
	}

	/** What one subscription received. */
	static final class Received {

		final List<Map<String, Object>> results = new CopyOnWriteArrayList<>();

		final AtomicReference<Throwable> error = new AtomicReference<>();

		final AtomicBoolean completed = new AtomicBoolean();

		private Disposable stop;

		/** Whether it ended, one way or the other. */
		boolean ended() {
			return this.completed.get() || this.error.get() != null;
		}

		/** The {@code extensions.code} of the error it ended with, or {@code null}. */
		String errorCode() {
			if (this.error.get() instanceof SubscriptionErrorException failed && !failed.getErrors().isEmpty()) {
				return String.valueOf(failed.getErrors().get(0).getExtensions().get("code"));
			}
			return null;
		}

		/** The message of the error it ended with, or {@code null}. */
		String errorMessage() {
			if (this.error.get() instanceof SubscriptionErrorException failed && !failed.getErrors().isEmpty()) {
				return failed.getErrors().get(0).getMessage();
			}
			return (this.error.get() != null) ? this.error.get().toString() : null;
		}

		/** Completes the subscription from the client's side. */
		void cancel() {
			this.stop.dispose();
		}

	}

}
