package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.exotel.test.TestRedis;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

	static final TestRedis redis = TestRedis.startOwned();

	/** The limiter's clock: it moves only when a test moves it. */
	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	@AfterAll
	static void stop() throws Exception {
		redis.close();
	}

	@Test
	void withoutRedisTheLimitHoldsInProcess() {
		try (ClientRateLimiter limiter = new ClientRateLimiter(null, this.nanos::get)) {
			assertHeldTo(3, limiter, caller("no-redis"));
		}
	}

	@Test
	void whenRedisIsUnreachableTheLimitHoldsInProcess() {
		RedisClient client = RedisClient.create("redis://127.0.0.1:" + TestRedis.freePort());
		try (ClientRateLimiter limiter = new ClientRateLimiter(client, this.nanos::get)) {
			assertThat(limiter.usesRedis()).isFalse();
			assertHeldTo(3, limiter, caller("unreachable"));
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void twoInstancesShareOneBucketThroughRedis() {
		RedisClient client = RedisClient.create(redis.url());
		try (ClientRateLimiter first = new ClientRateLimiter(client, this.nanos::get);
				ClientRateLimiter second = new ClientRateLimiter(client, this.nanos::get)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> first.usesRedis() && second.usesRedis());
			Caller caller = caller("shared");
			assertThat(take(first, caller, 4)).isZero();
			assertThat(take(second, caller, 4)).isZero();
			assertThat(take(first, caller, 4)).isZero();
			assertThat(take(second, caller, 4)).isZero();
			assertThat(take(first, caller, 4)).as("the fifth request, whichever instance it reaches").isPositive();
			assertThat(take(second, caller, 4)).isPositive();
			assertThat(take(first, caller("shared-other"), 4)).as("another client's bucket").isZero();
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void afterRedisStopsAnsweringTakesStayInProcessForFiveSecondsAndTheLimitHolds() throws IOException {
		try (BlackHole proxy = new BlackHole(Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1)))) {
			RedisClient client = RedisClient.create("redis://127.0.0.1:" + proxy.port());
			try (ClientRateLimiter limiter = new ClientRateLimiter(client, this.nanos::get)) {
				await().atMost(Duration.ofSeconds(10)).until(limiter::usesRedis);
				Caller caller = caller("black-hole");
				assertThat(take(limiter, caller, 3)).as("answered by Redis").isZero();

				proxy.swallow();
				assertThat(take(limiter, caller, 3)).as("no answer in 500 ms: counted in process").isZero();
				await().atMost(Duration.ofSeconds(5)).until(() -> proxy.swallowed() > 0);
				long swallowed = proxy.swallowed();
				assertThat(limiter.usesRedis()).isFalse();

				assertThat(take(limiter, caller, 3)).isZero();
				assertThat(take(limiter, caller, 3)).isZero();
				assertThat(take(limiter, caller, 3)).as("the fourth of three in process").isPositive();
				assertThat(proxy.swallowed()).as("bytes sent to Redis while it is left alone").isEqualTo(swallowed);

				this.nanos.addAndGet(ClientRateLimiter.LOCAL_AFTER_FAILURE.toNanos() - 1);
				assertThat(limiter.usesRedis()).isFalse();
				this.nanos.addAndGet(1);
				assertThat(limiter.usesRedis()).as("asked again after five seconds").isTrue();
				assertThat(take(limiter, caller, 3)).as("still no answer: counted in process, still over").isPositive();
				await().atMost(Duration.ofSeconds(5)).until(() -> proxy.swallowed() > swallowed);
				assertThat(limiter.usesRedis()).isFalse();
				assertThat(proxy.accepted()).as("one connection throughout").isOne();
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		}
	}

	/** A limit of {@code capacity} per minute lets exactly that many through, then says how long to wait. */
	private void assertHeldTo(int capacity, ClientRateLimiter limiter, Caller caller) {
		for (int i = 0; i < capacity; i++) {
			assertThat(take(limiter, caller, capacity)).as("request %d", i + 1).isZero();
		}
		Duration wait = take(limiter, caller, capacity);
		assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
	}

	private static Duration take(ClientRateLimiter limiter, Caller caller, int perMinute) {
		return limiter.take(caller, perMinute).block(Duration.ofSeconds(5));
	}

	private static Caller caller(String client) {
		return new Caller("acme", client + "-" + System.nanoTime(), "api-key");
	}

	/**
	 * A TCP relay to Redis that, once told to swallow, keeps its connections open but passes nothing on
	 * and answers nothing: a Redis that hangs. Counts what it swallowed.
	 */
	static final class BlackHole implements AutoCloseable {

		private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		private final int target;

		private final AtomicBoolean swallowing = new AtomicBoolean();

		private final AtomicLong swallowed = new AtomicLong();

		private final AtomicInteger accepted = new AtomicInteger();

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		BlackHole(int target) throws IOException {
			this.target = target;
			daemon(this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		void swallow() {
			this.swallowing.set(true);
		}

		long swallowed() {
			return this.swallowed.get();
		}

		int accepted() {
			return this.accepted.get();
		}

		private void accept() {
			try {
				while (!this.server.isClosed()) {
					Socket client = this.server.accept();
					this.accepted.incrementAndGet();
					Socket redis = new Socket(InetAddress.getLoopbackAddress(), this.target);
					this.sockets.add(client);
					this.sockets.add(redis);
					daemon(() -> relay(client, redis, true));
					daemon(() -> relay(redis, client, false));
				}
			}
			catch (IOException ex) {
				// Closed.
			}
		}

		private void relay(Socket from, Socket to, boolean request) {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					if (this.swallowing.get()) {
						if (request) {
							this.swallowed.addAndGet(read);
						}
						continue;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// Closed.
			}
		}

		private static void daemon(Runnable task) {
			Thread thread = new Thread(task, "black-hole");
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

}
