package io.exogate.gateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/** One lazily opened Redis connection of strings, shared by a store's commands; opened again after a failed open. */
public final class RedisCommands implements AutoCloseable {

	private final RedisClient client;

	private final RedisURI uri;

	private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();

	public RedisCommands(RedisClient client, RedisURI uri) {
		this.client = client;
		this.uri = uri;
	}

	/** The commands, once connected; nothing is opened before subscription. */
	public Mono<RedisReactiveCommands<String, String>> get() {
		return Mono.defer(() -> {
			StatefulRedisConnection<String, String> current = this.connection.get();
			if (current != null) {
				return Mono.just(current.reactive());
			}
			return Mono.fromCompletionStage(() -> this.client.connectAsync(StringCodec.UTF8, this.uri)).map((opened) -> {
				if (!this.connection.compareAndSet(null, opened)) {
					opened.closeAsync();
				}
				return this.connection.get().reactive();
			});
		});
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> current = this.connection.getAndSet(null);
		if (current != null) {
			current.close();
		}
	}

}
