package io.exogate.gateway.webhook;

import io.exogate.exotel.test.TestRedis;
import io.exogate.gateway.redis.RedisCommands;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Call states in Redis: the same ordering as in process, shared; and callbacks still ordered while Redis is down. */
class RedisCallStatesTest {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	@Test
	void aDuplicateOrAStaleCallbackChangesNothingInRedis() throws Exception {
		try (TestRedis redis = TestRedis.startOwned()) {
			RedisClient client = RedisClient.create();
			try {
				RedisCallStates states = states(client, RedisURI.create(redis.url()));
				String sid = "redis" + System.nanoTime();
				StatusCallback completed = callback(sid, "completed", "terminal", "2026-11-23 15:31:00");
				states.advance("acme", completed).as(StepVerifier::create).expectNext(true).verifyComplete();
				states.advance("acme", completed).as(StepVerifier::create).expectNext(false).verifyComplete();
				states.advance("acme", callback(sid, "in-progress", "answered", "2026-11-23 15:35:00"))
					.as(StepVerifier::create)
					.expectNext(false)
					.verifyComplete();
				RedisCallStates another = states(client, RedisURI.create(redis.url()));
				another.advance("acme", completed).as(StepVerifier::create).expectNext(false).verifyComplete();
				another.get("acme", sid)
					.as(StepVerifier::create)
					.expectNext(CallStates.CallState.of(completed))
					.verifyComplete();
			}
			finally {
				client.shutdown();
			}
		}
	}

	@Test
	void whileRedisIsDownThisInstanceOrdersCallbacksAlone() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		RedisClient client = RedisClient.create();
		client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(TIMEOUT)).build());
		try {
			RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
			uri.setTimeout(TIMEOUT);
			RedisCallStates states = states(client, uri);
			StatusCallback completed = callback("down1", "completed", "terminal", "2026-11-23 15:31:00");
			states.advance("acme", completed).as(StepVerifier::create).expectNext(true).verifyComplete();
			states.advance("acme", completed).as(StepVerifier::create).expectNext(false).verifyComplete();
		}
		finally {
			client.shutdown();
		}
	}

	private static RedisCallStates states(RedisClient client, RedisURI uri) {
		return new RedisCallStates(new RedisCommands(client, uri), Duration.ofMinutes(5), TIMEOUT,
				new InProcessCallStates(Clock.systemUTC(), Duration.ofMinutes(5), 100));
	}

	private static StatusCallback callback(String sid, String status, String event, String updated) {
		return StatusCallback.of(Map.of("CallSid", sid, "Status", status, "EventType", event, "DateUpdated", updated));
	}

}
