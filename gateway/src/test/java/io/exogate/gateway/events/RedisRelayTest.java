package io.exogate.gateway.events;

import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A pub/sub connection that opened but could not subscribe, because the subscription failed or hung
 * past the timeout, is closed before the next connection is opened: no earlier connection is left,
 * its listener attached, to deliver the channel's messages a second time.
 */
class RedisRelayTest {

	static final String CHANNEL = "exogate:events:test";

	@Test
	void aConnectionWhoseSubscriptionHangsIsClosedBeforeTheRetry() {
		assertClosedBeforeTheRetry(new Pending());
	}

	@Test
	void aConnectionWhoseSubscriptionFailsIsClosedBeforeTheRetry() {
		Pending failed = new Pending();
		failed.completeExceptionally(new IllegalStateException("subscribe refused"));
		assertClosedBeforeTheRetry(failed);
	}

	@SuppressWarnings("unchecked")
	private static void assertClosedBeforeTheRetry(Pending firstSubscription) {
		StatefulRedisPubSubConnection<String, String> first = connection(firstSubscription);
		Pending subscribed = new Pending();
		subscribed.complete(null);
		StatefulRedisPubSubConnection<String, String> second = connection(subscribed);
		when(second.isOpen()).thenReturn(true);
		RedisClient client = mock(RedisClient.class);
		when(client.connectPubSubAsync(any(RedisCodec.class), any(RedisURI.class))).thenReturn(opened(first), opened(second));
		RedisRelay<String> relay = new RedisRelay<>(client, RedisURI.create("redis://127.0.0.1:1"), Duration.ofMillis(200), CHANNEL,
				Function.identity(), Function.identity());
		try {
			await().atMost(Duration.ofSeconds(10)).until(relay::subscribed);
			verify(first).closeAsync();
			verify(second, never()).closeAsync();
			verify(client, times(2)).connectPubSubAsync(any(RedisCodec.class), any(RedisURI.class));
		}
		finally {
			relay.close();
		}
		verify(second).closeAsync();
	}

	@SuppressWarnings("unchecked")
	private static StatefulRedisPubSubConnection<String, String> connection(Pending subscription) {
		StatefulRedisPubSubConnection<String, String> connection = mock(StatefulRedisPubSubConnection.class);
		RedisPubSubAsyncCommands<String, String> commands = mock(RedisPubSubAsyncCommands.class);
		when(connection.async()).thenReturn(commands);
		when(commands.subscribe(CHANNEL)).thenReturn(subscription);
		return connection;
	}

	private static ConnectionFuture<StatefulRedisPubSubConnection<String, String>> opened(
			StatefulRedisPubSubConnection<String, String> connection) {
		return ConnectionFuture.completed(new InetSocketAddress("127.0.0.1", 1), connection);
	}

	/** A subscription's answer, completed (or not) by the test. */
	static final class Pending extends CompletableFuture<Void> implements RedisFuture<Void> {

		@Override
		public String getError() {
			return null;
		}

		@Override
		public boolean await(long timeout, TimeUnit unit) {
			return isDone();
		}

	}

}
