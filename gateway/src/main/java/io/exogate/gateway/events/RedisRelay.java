package io.exogate.gateway.events;

import io.exogate.gateway.logging.LogLimiter;
import io.exogate.gateway.redis.RedisCommands;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Events of one kind shared by every instance over one Redis pub/sub channel. A published event
 * reaches this instance's listeners at once and the others' through Redis; an instance skips its
 * own messages, so no listener sees an event twice. When Redis cannot be reached, publishing still
 * reaches this instance's listeners, the outage is logged once per interval, and the subscription
 * is opened again (Lettuce re-subscribes after a reconnect); a connection that could not subscribe
 * in time is closed before the next is opened.
 *
 * @param <T> the event type
 */
public final class RedisRelay<T> implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisRelay.class);

	private final String channel;

	private final Function<T, String> encode;

	private final Function<String, T> decode;

	private final String instance = UUID.randomUUID().toString();

	private final Sinks.Many<T> sink = Sinks.many().multicast().directBestEffort();

	private final RedisCommands commands;

	private final Duration timeout;

	private final LogLimiter warnings = new LogLimiter(Duration.ofSeconds(30));

	private final AtomicReference<StatefulRedisPubSubConnection<String, String>> subscription = new AtomicReference<>();

	private final Disposable subscribing;

	private final AtomicLong disconnections = new AtomicLong();

	public RedisRelay(RedisClient client, RedisURI uri, Duration timeout, String channel, Function<T, String> encode,
			Function<String, T> decode) {
		this.channel = channel;
		this.encode = encode;
		this.decode = decode;
		this.timeout = timeout;
		this.commands = new RedisCommands(client, uri);
		client.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				RedisRelay.this.disconnections.incrementAndGet();
			}
		});
		this.subscribing = Mono.defer(() -> subscribe(client, uri))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500))
				.maxBackoff(Duration.ofSeconds(30))
				.doBeforeRetry((signal) -> warn("subscribe", signal.failure())))
			.subscribe(null, (error) -> warn("subscribe", error));
	}

	/**
	 * Opens a pub/sub connection and subscribes it to the channel, each step within the timeout. A
	 * connection that fails to subscribe, or is cancelled or late, is closed before anything is tried
	 * again: a retry never leaves an earlier connection, listener attached, to deliver twice.
	 */
	private Mono<Void> subscribe(RedisClient client, RedisURI uri) {
		CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting = client
			.connectPubSubAsync(StringCodec.UTF8, uri)
			.toCompletableFuture();
		Runnable abandon = () -> connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync);
		return Mono.fromFuture(connecting, true)
			.timeout(this.timeout)
			.doOnError((error) -> abandon.run())
			.doOnCancel(abandon)
			.flatMap((connection) -> {
				connection.addListener(new RedisPubSubAdapter<>() {
					@Override
					public void message(String from, String message) {
						received(message);
					}
				});
				return Mono.fromCompletionStage(() -> connection.async().subscribe(this.channel))
					.timeout(this.timeout)
					.then(Mono.fromRunnable(() -> {
						StatefulRedisPubSubConnection<String, String> previous = this.subscription.getAndSet(connection);
						if (previous != null && previous != connection) {
							previous.closeAsync();
						}
					}))
					.doOnError((error) -> connection.closeAsync())
					.doOnCancel(connection::closeAsync)
					.then();
			});
	}

	/** Hands the event to this instance's listeners, then to the other instances; never blocks or fails. */
	public void publish(T event) {
		emit(event);
		String message = this.instance + "\n" + this.encode.apply(event);
		this.commands.get()
			.flatMap((redis) -> redis.publish(this.channel, message))
			.timeout(this.timeout)
			.subscribe(null, (error) -> warn("publish", error));
	}

	/** Every event published from now on, by any instance. */
	public Flux<T> events() {
		return this.sink.asFlux();
	}

	/** How many times a connection of the relay's client went down: messages may have been lost each time. */
	public long disconnections() {
		return this.disconnections.get();
	}

	/** Whether the channel is subscribed. */
	public boolean subscribed() {
		StatefulRedisPubSubConnection<String, String> connection = this.subscription.get();
		return connection != null && connection.isOpen();
	}

	@Override
	public void close() {
		this.subscribing.dispose();
		StatefulRedisPubSubConnection<String, String> connection = this.subscription.getAndSet(null);
		if (connection != null) {
			connection.closeAsync();
		}
		this.commands.close();
	}

	private void received(String message) {
		int newline = message.indexOf('\n');
		if (newline < 0 || message.substring(0, newline).equals(this.instance)) {
			return;
		}
		T event;
		try {
			event = this.decode.apply(message.substring(newline + 1));
		}
		catch (RuntimeException ex) {
			warn("read", ex);
			return;
		}
		emit(event);
	}

	private void emit(T event) {
		// Serialized: publishers and the Redis listener may emit from several threads at once.
		synchronized (this.sink) {
			this.sink.tryEmitNext(event);
		}
	}

	private void warn(String what, Throwable error) {
		long held = this.warnings.tryAcquire(what);
		if (held >= 0) {
			logger.warn("Events on {}: could not {} through Redis ({}); this instance's listeners still hear its own{}",
					this.channel, what, error.getClass().getSimpleName(), (held > 0) ? " (" + held + " more)" : "");
		}
	}

}
