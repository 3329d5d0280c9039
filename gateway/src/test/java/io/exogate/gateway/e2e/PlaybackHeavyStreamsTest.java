package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.gateway.playback.PlaybackStreams;
import io.exogate.gateway.playback.PlaybackTokens;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The heaviest playback tests, over real HTTP with the sandbox as the media host, in the same JVM as
 * the gateway so that its heap can be watched (the sandbox's and the clients' share of it included):
 * a 10-minute dual-channel WAV (19.2 MB) read by a slow client while the heap used after a full
 * collection grows by less than {@value #HEAP_BOUND_MB} MB, and 100 streams at once (over 100 MB)
 * while it grows by less than {@value #HUNDRED_HEAP_BOUND_MB} MB, each byte for byte what the
 * sandbox serves. Direct memory, where Netty keeps the bytes in flight, is bounded too:
 * {@value #HEAP_BOUND_MB} MB for the one slow stream, four times that for 200 connections at once
 * (100 from clients, 100 to the sandbox).
 */
class PlaybackHeavyStreamsTest {

	/** The bound on heap growth, in MB, during either test. */
	static final int HEAP_BOUND_MB = 16;

	static final long HEAP_BOUND = HEAP_BOUND_MB * 1024L * 1024L;

	/** The bound on heap growth, in MB, with 100 streams at once: 200 connections' state, the sandbox's chunks and 100 clients. */
	static final int HUNDRED_HEAP_BOUND_MB = 48;

	static final byte[] KEY = E2eSupport.playbackKey('h');

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(47).rateLimitPerMinute(100_000).build());

	static final HttpClient http = LoadSupport.http();

	static final PlaybackTokens tokens = new PlaybackTokens(List.of(KEY), Duration.ofMinutes(15), Clock.systemUTC());

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>(
				LoadSupport.account(0, sandbox, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.put("exogate.playback.signing-keys[0]", Base64.getEncoder().encodeToString(KEY));
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		sandbox.close();
	}

	@Test
	void aTenMinuteDualChannelWavReadSlowlyKeepsTheHeapFlatAndArrivesExactly() throws Exception {
		JsonNode recording = tenMinuteRecording();
		String sid = recording.path("callSid").asString();
		String expected = digest(recording.path("url").asString());
		String url = playback(sid, RecordingFormat.WAV, RecordingChannel.DUAL);
		warmUp(url);

		long started = System.nanoTime();
		Heap heap = Heap.baseline();
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long length;
		try (RawStream stream = RawStream.open(url, null)) {
			assertThat(stream.status).isEqualTo(200);
			length = Long.parseLong(stream.headers.get("content-length"));
			assertThat(length).as("8 kHz, 16 bits, 2 channels, 600 s and a 44-byte header").isEqualTo(44 + 600L * 8000 * 2 * 2);
			// A slow client: 32 KB at a time, and every MB it stops reading while the heap is measured (a full collection).
			byte[] buffer = new byte[32 * 1024];
			long nextSample = 0;
			for (int n = stream.read(buffer, buffer.length); n >= 0; n = stream.read(buffer, buffer.length)) {
				digest.update(buffer, 0, n);
				if (stream.bytesRead() >= nextSample) {
					heap.sample();
					nextSample += 1024 * 1024;
				}
			}
			assertThat(stream.bytesRead()).isEqualTo(length);
		}
		heap.sample();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.out.printf("10-minute dual WAV: %d bytes in %d ms, %d heap samples; heap growth after GC %.1f MB (bound %d MB), "
				+ "direct memory growth %.1f MB%n", length, took.toMillis(), heap.samples, heap.growth() / 1048576.0, HEAP_BOUND_MB,
				heap.directGrowth() / 1048576.0);
		assertThat(HexFormat.of().formatHex(digest.digest())).as("exactly the sandbox's bytes").isEqualTo(expected);
		assertThat(heap.samples).as("sampled all along the stream").isGreaterThanOrEqualTo(19);
		assertThat(heap.growth()).as("heap growth while streaming %d bytes", length).isLessThan(HEAP_BOUND);
		assertThat(heap.directGrowth()).as("direct memory growth while streaming %d bytes", length).isLessThan(HEAP_BOUND);

		// Four slow streams of one link hold its four slots; the fifth is refused.
		PlaybackStreams streams = gateway.getBean(PlaybackStreams.class);
		List<RawStream> four = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				four.add(RawStream.open(url, null));
				assertThat(four.get(i).status).isEqualTo(200);
			}
			try (RawStream fifth = RawStream.open(url, null)) {
				assertThat(fifth.status).isEqualTo(429);
				assertThat(fifth.headers).containsEntry("retry-after", "5");
			}
		}
		finally {
			for (RawStream stream : four) {
				stream.close();
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == 0);
	}

	@Test
	void aHundredStreamsAtOnceAllArriveExactlyWithTheHeapBounded() throws Exception {
		List<JsonNode> recordings = aHundredRecordings();
		Map<String, String> expected = new HashMap<>();
		ExecutorService pool = Executors.newFixedThreadPool(100);
		try {
			List<Future<String>> direct = new ArrayList<>();
			for (JsonNode recording : recordings) {
				direct.add(pool.submit(() -> digest(recording.path("url").asString())));
			}
			for (int i = 0; i < recordings.size(); i++) {
				expected.put(recordings.get(i).path("callSid").asString(), direct.get(i).get(60, TimeUnit.SECONDS));
			}
			warmUp(playback(recordings.get(0).path("callSid").asString(), RecordingFormat.WAV, RecordingChannel.SINGLE));

			Heap heap = Heap.baseline();
			AtomicLong bytes = new AtomicLong();
			long started = System.nanoTime();
			List<CompletableFuture<String>> streamed = new ArrayList<>();
			for (JsonNode recording : recordings) {
				String url = playback(recording.path("callSid").asString(), RecordingFormat.WAV, RecordingChannel.SINGLE);
				streamed.add(CompletableFuture.supplyAsync(() -> {
					try (RawStream stream = RawStream.open(url, null)) {
						if (stream.status != 200) {
							return "status " + stream.status + ": " + new String(stream.readRest(), java.nio.charset.StandardCharsets.UTF_8);
						}
						MessageDigest digest = MessageDigest.getInstance("SHA-256");
						byte[] buffer = new byte[16 * 1024];
						for (int n = stream.read(buffer, buffer.length); n >= 0; n = stream.read(buffer, buffer.length)) {
							digest.update(buffer, 0, n);
						}
						bytes.addAndGet(stream.bytesRead());
						return HexFormat.of().formatHex(digest.digest());
					}
					catch (Exception ex) {
						return "failed: " + ex;
					}
				}, pool));
			}
			CompletableFuture<Void> all = CompletableFuture.allOf(streamed.toArray(CompletableFuture[]::new));
			while (!all.isDone()) {
				heap.sample();
				try {
					all.get(500, TimeUnit.MILLISECONDS);
				}
				catch (java.util.concurrent.TimeoutException ex) {
					// still streaming: sample again
				}
			}
			heap.sample();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			System.out.printf("100 streams: %d bytes in %d ms, %d heap samples; heap growth after GC %.1f MB (bound %d MB), "
					+ "direct memory growth %.1f MB%n", bytes.get(), took.toMillis(), heap.samples, heap.growth() / 1048576.0,
					HUNDRED_HEAP_BOUND_MB, heap.directGrowth() / 1048576.0);
			for (int i = 0; i < recordings.size(); i++) {
				String sid = recordings.get(i).path("callSid").asString();
				assertThat(streamed.get(i).get()).as("stream %d, call %s", i, sid).isEqualTo(expected.get(sid));
			}
			assertThat(bytes.get()).as("100 recordings of 1 MB or more").isGreaterThan(100L * 1024 * 1024);
			assertThat(heap.growth()).as("heap growth while streaming %d bytes", bytes.get())
				.isLessThan(HUNDRED_HEAP_BOUND_MB * 1024L * 1024L);
			assertThat(heap.directGrowth()).as("direct memory growth (Netty's pools for 200 connections)").isLessThan(4 * HEAP_BOUND);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A recording of exactly 600 s, dual-channel WAV: its call SID and signed upstream url. */
	private static JsonNode tenMinuteRecording() throws Exception {
		String from = Instant.now().minus(Duration.ofDays(58)).truncatedTo(ChronoUnit.SECONDS).toString();
		String after = null;
		for (int page = 0; page < 10; page++) {
			JsonNode calls = graphQl("{ calls(first: 100" + ((after != null) ? ", after: \"" + after + "\"" : "")
					+ ", filter: { from: \"" + from + "\", hasRecording: true, minDurationSeconds: 600 }) { edges { node { sid } }"
					+ " pageInfo { hasNextPage endCursor } } }").path("data").path("calls");
			List<String> sids = new ArrayList<>();
			calls.path("edges").values().forEach((edge) -> sids.add("\"" + edge.path("node").path("sid").asString() + "\""));
			if (!sids.isEmpty()) {
				for (JsonNode recording : graphQl("{ recordings(callSids: " + sids + ", format: WAV, channel: DUAL) { callSid status"
						+ " durationSeconds url } }").path("data").path("recordings").values()) {
					if ("AVAILABLE".equals(recording.path("status").asString()) && recording.path("durationSeconds").asInt() == 600) {
						return recording;
					}
				}
			}
			if (!calls.path("pageInfo").path("hasNextPage").asBoolean()) {
				break;
			}
			after = calls.path("pageInfo").path("endCursor").asString();
		}
		throw new IllegalStateException("The sandbox's seed has no call with a 600 s recording: choose another seed");
	}

	/** 100 available recordings of at least 64 s (1 MB or more as single-channel WAV) and at most 150 s. */
	private static List<JsonNode> aHundredRecordings() throws Exception {
		List<JsonNode> recordings = new ArrayList<>();
		String after = null;
		for (int page = 0; page < 5 && recordings.size() < 100; page++) {
			JsonNode calls = graphQl("{ calls(first: 100" + ((after != null) ? ", after: \"" + after + "\"" : "")
					+ ", filter: { hasRecording: true, minDurationSeconds: 90, maxDurationSeconds: 150 }) { edges { node { sid } }"
					+ " pageInfo { hasNextPage endCursor } } }").path("data").path("calls");
			List<String> sids = new ArrayList<>();
			calls.path("edges").values().forEach((edge) -> sids.add("\"" + edge.path("node").path("sid").asString() + "\""));
			for (JsonNode recording : graphQl("{ recordings(callSids: " + sids + ", format: WAV, channel: SINGLE) { callSid status"
					+ " durationSeconds url } }").path("data").path("recordings").values()) {
				if ("AVAILABLE".equals(recording.path("status").asString()) && recording.path("durationSeconds").asInt() >= 64
						&& recordings.size() < 100) {
					recordings.add(recording);
				}
			}
			after = calls.path("pageInfo").path("endCursor").asString();
		}
		assertThat(recordings.size()).as("recordings to stream").isEqualTo(100);
		return recordings;
	}

	/** One short stream first, so that the baseline holds what the first request loads once (classes, pools, caches). */
	private static void warmUp(String url) throws Exception {
		HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-65535").build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(part.statusCode()).isEqualTo(206);
	}

	private static String playback(String sid, RecordingFormat format, RecordingChannel channel) {
		return "http://127.0.0.1:" + port + "/playback/" + tokens.sign("test", "exogate-demo", sid, format, channel);
	}

	/** The SHA-256 of what the sandbox serves at this URL, fetched directly and streamed into the digest. */
	private static String digest(String url) throws Exception {
		HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (InputStream in = response.body()) {
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static JsonNode graphQl(String query) throws Exception {
		HttpResponse<String> response = http.send(LoadSupport.request(port, query), HttpResponse.BodyHandlers.ofString());
		JsonNode body = LoadSupport.JSON.readTree(response.body());
		assertThat(body.path("errors").isMissingNode()).as(response.body()).isTrue();
		return body;
	}

	/** The heap used after a full collection, and the direct memory in use, against a baseline. */
	static final class Heap {

		private final long baseline;

		private final long directBaseline;

		private long highest;

		private long directHighest;

		int samples;

		private Heap(long baseline, long directBaseline) {
			this.baseline = baseline;
			this.directBaseline = directBaseline;
			this.highest = baseline;
			this.directHighest = directBaseline;
		}

		static Heap baseline() {
			long lowest = Long.MAX_VALUE;
			for (int i = 0; i < 3; i++) {
				lowest = Math.min(lowest, usedAfterGc());
			}
			return new Heap(lowest, direct());
		}

		void sample() {
			this.highest = Math.max(this.highest, usedAfterGc());
			this.directHighest = Math.max(this.directHighest, direct());
			this.samples++;
		}

		long growth() {
			return this.highest - this.baseline;
		}

		long directGrowth() {
			return this.directHighest - this.directBaseline;
		}

		private static long usedAfterGc() {
			ManagementFactory.getMemoryMXBean().gc();
			return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		}

		/** Direct memory: Netty's own count (when it allocates without cleaners) and the JDK's direct buffer pool. */
		private static long direct() {
			long netty = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
			long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
				.stream()
				.filter((pool) -> pool.getName().equals("direct"))
				.mapToLong(BufferPoolMXBean::getMemoryUsed)
				.sum();
			return netty + jdk;
		}

	}

}
