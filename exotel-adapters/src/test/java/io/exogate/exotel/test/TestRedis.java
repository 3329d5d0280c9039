package io.exogate.exotel.test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of this test run's own: {@code REDIS_URL} if set, else a Testcontainers Redis when Docker
 * is available, else a {@code redis-server} process on a free port. Fails with a message saying
 * what to install when none can be had; never the shared instance on 6379 by accident.
 */
public final class TestRedis implements AutoCloseable {

	private final String url;

	private final AutoCloseable stop;

	private final String how;

	private TestRedis(String url, AutoCloseable stop, String how) {
		this.url = url;
		this.stop = stop;
		this.how = how;
	}

	/** Starts (or adopts) a Redis for this run. */
	public static TestRedis start() {
		String configured = System.getenv("REDIS_URL");
		if (configured != null && !configured.isBlank()) {
			return new TestRedis(configured, () -> {
			}, "REDIS_URL");
		}
		return startOwned();
	}

	/**
	 * A Redis this test alone controls and may stop (Testcontainers or a {@code redis-server}
	 * process), even when {@code REDIS_URL} names a shared one.
	 */
	public static TestRedis startOwned() {
		TestRedis container = tryContainer();
		if (container != null) {
			return container;
		}
		TestRedis process = tryProcess();
		if (process != null) {
			return process;
		}
		throw new IllegalStateException("Tests need a Redis of their own: set REDIS_URL, or make Docker available for "
				+ "Testcontainers, or install redis-server (Debian: apt-get install redis-server)");
	}

	/** A {@code redis://host:port} URL. */
	public String url() {
		return this.url;
	}

	/** How this Redis was provisioned, for test logs. */
	public String how() {
		return this.how;
	}

	@Override
	public void close() throws Exception {
		this.stop.close();
	}

	private static TestRedis tryContainer() {
		try {
			if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
				return null;
			}
			com.redis.testcontainers.RedisContainer container = new com.redis.testcontainers.RedisContainer(
					com.redis.testcontainers.RedisContainer.DEFAULT_IMAGE_NAME.withTag("7"));
			container.start();
			return new TestRedis(container.getRedisURI(), container::stop, "Testcontainers");
		}
		catch (Throwable ex) {
			return null;
		}
	}

	/** A free local port, for a Redis started later with {@link #startProcessOn(int)}. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** A {@code redis-server} process on the given port; fails with a message when none can be started. */
	public static TestRedis startProcessOn(int port) {
		String binary = findBinary();
		TestRedis process = (binary != null) ? tryProcess(binary, port) : null;
		if (process == null) {
			throw new IllegalStateException("This test starts Redis itself and needs redis-server on the PATH "
					+ "(Debian: apt-get install redis-server)");
		}
		return process;
	}

	private static TestRedis tryProcess() {
		String binary = findBinary();
		return (binary != null) ? tryProcess(binary, freePort()) : null;
	}

	private static TestRedis tryProcess(String binary, int port) {
		try {
			Path dir = Files.createTempDirectory("exogate-redis");
			Process process = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--dir", dir.toString()))
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("redis.log").toFile())
				.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (System.nanoTime() < deadline) {
				try (Socket ignored = new Socket("127.0.0.1", port)) {
					return new TestRedis("redis://127.0.0.1:" + port, () -> {
						process.destroy();
						if (!process.waitFor(5, TimeUnit.SECONDS)) {
							process.destroyForcibly();
						}
					}, "redis-server on port " + port);
				}
				catch (IOException notYet) {
					if (!process.isAlive()) {
						return null;
					}
					Thread.onSpinWait();
				}
			}
			process.destroyForcibly();
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static String findBinary() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File candidate = new File(dir, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getAbsolutePath();
			}
		}
		File debian = new File("/usr/bin/redis-server");
		return debian.canExecute() ? debian.getAbsolutePath() : null;
	}

}
