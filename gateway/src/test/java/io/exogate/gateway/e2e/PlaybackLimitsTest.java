package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.playback.PlaybackStreams;
import io.exogate.gateway.playback.PlaybackTokens;
import io.exogate.gateway.security.Audit;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The bounds on hostile or careless clients, over real HTTP: at most 4 streams per playback link
 * (the fifth is 429 with {@code Retry-After}) and 6 in all here (then 503); a slot freed when its
 * client goes away, which also cancels the upstream request; a client that stops reading holds the
 * upstream back instead of the gateway buffering it; a media host that falls silent mid-body is cut
 * off after the stall timeout (1 s here). The media comes from {@link MediaHost}, an endless stream
 * produced only as fast as it is read, behind the sandbox's signed links.
 */
class PlaybackLimitsTest {

	static final byte[] KEY = E2eSupport.playbackKey('l');

	static final MediaHost media = new MediaHost();

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(43).rateLimitPerMinute(100_000)
		.mediaBaseUrl(URI.create(media.origin())).build());

	static final HttpClient http = LoadSupport.http();

	static final List<RawStream> opened = new ArrayList<>();

	static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

	static ConfigurableApplicationContext gateway;

	static PlaybackStreams streams;

	static int port;

	static String callSid;

	@BeforeAll
	static void start() throws Exception {
		Map<String, String> properties = new HashMap<>(
				LoadSupport.account(0, sandbox, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.put("exogate.playback.signing-keys[0]", Base64.getEncoder().encodeToString(KEY));
		properties.put("exogate.playback.max-streams", "6");
		properties.put("exogate.playback.stall-timeout", "1s");
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
		streams = gateway.getBean(PlaybackStreams.class);
		callSid = availableCall();
		audit.start();
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audit);
	}

	@AfterEach
	void closeStreams() throws IOException {
		for (RawStream stream : opened) {
			stream.close();
		}
		opened.clear();
		await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == 0 && media.streaming.get() == 0);
	}

	@AfterAll
	static void stop() {
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audit);
		if (gateway != null) {
			gateway.close();
		}
		sandbox.close();
		media.close();
	}

	@Test
	void theFifthConcurrentStreamOfOneLinkIsRefused429AndAClosedStreamFreesItsSlot() throws Exception {
		media.mode = MediaHost.Mode.ENDLESS;
		String url = url(RecordingFormat.MP3, RecordingChannel.SINGLE);
		for (int i = 0; i < 4; i++) {
			assertThat(open(url).status).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> media.streaming.get() == 4);
		try (RawStream fifth = RawStream.open(url, null)) {
			assertThat(fifth.status).isEqualTo(429);
			assertThat(fifth.headers).containsEntry("retry-after", "5").containsEntry("content-type", "application/json");
			JsonNode error = LoadSupport.JSON.readTree(fifth.readRest()).path("errors").path(0);
			assertThat(error.path("message").asString()).isEqualTo(
					"This playback link already has 4 streams open: close one, or try again in 5 seconds.");
			assertThat(error.path("extensions").path("code").asString()).isEqualTo("RATE_LIMITED");
			assertThat(error.path("extensions").path("retryAfterSeconds").asInt()).isEqualTo(5);
		}
		assertThat(media.streaming.get()).as("a refused stream asks nothing upstream").isEqualTo(4);
		String token = url.substring(url.lastIndexOf('/') + 1);
		List<String> events = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(events).anySatisfy((event) -> assertThat(event).contains("\"recording.played\"")
			.contains("\"result\":\"too-many-streams\"").contains("\"via\":\"/playback\""));
		assertThat(events).noneMatch((event) -> event.contains(token));
		opened.remove(0).close();
		await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == 3);
		assertThat(open(url).status).as("the freed slot").isEqualTo(200);
	}

	@Test
	void theGatewayCapRefusesAnyFurtherStream503() throws Exception {
		media.mode = MediaHost.Mode.ENDLESS;
		String a = url(RecordingFormat.MP3, RecordingChannel.SINGLE);
		String b = url(RecordingFormat.WAV, RecordingChannel.SINGLE);
		for (int i = 0; i < 4; i++) {
			assertThat(open(a).status).isEqualTo(200);
		}
		assertThat(open(b).status).isEqualTo(200);
		assertThat(open(b).status).isEqualTo(200);
		try (RawStream seventh = RawStream.open(url(RecordingFormat.WAV, RecordingChannel.DUAL), null)) {
			assertThat(seventh.status).isEqualTo(503);
			assertThat(seventh.headers).containsEntry("retry-after", "5");
			assertThat(new String(seventh.readRest(), StandardCharsets.UTF_8)).contains("\"code\":\"PLAYBACK_BUSY\"");
		}
	}

	@Test
	void aClientGoneMidStreamFreesItsSlotAndCancelsTheUpstreamRequest() throws Exception {
		media.mode = MediaHost.Mode.ENDLESS;
		int cancelledBefore = media.cancelled.get();
		RawStream stream = open(url(RecordingFormat.MP3, RecordingChannel.SINGLE));
		readAtLeast(stream, 256 * 1024);
		assertThat(streams.open()).isEqualTo(1);
		assertThat(media.streaming.get()).isEqualTo(1);
		opened.remove(stream);
		stream.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> media.streaming.get() == 0);
		assertThat(media.cancelled.get()).as("the upstream request was cancelled, not finished").isEqualTo(cancelledBefore + 1);
	}

	@Test
	void aClientThatStopsReadingHoldsTheUpstreamBack() throws Exception {
		media.mode = MediaHost.Mode.ENDLESS;
		long producedBefore = media.produced.get();
		RawStream stream = open(url(RecordingFormat.MP3, RecordingChannel.SINGLE));
		readAtLeast(stream, 1024 * 1024);
		// The client reads nothing more: what the media host produces levels off (well past the 1 s stall timeout,
		// which a paused client never trips), at what the sockets and the gateway hold, far from endless.
		long[] last = { -1 };
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(750)).until(() -> {
			long now = media.produced.get();
			boolean level = (now == last[0]);
			last[0] = now;
			return level;
		});
		long heldBack = media.produced.get() - producedBefore - stream.bytesRead();
		System.out.println("Paused client: " + stream.bytesRead() + " bytes read, " + heldBack + " bytes produced beyond them");
		assertThat(heldBack).as("bytes between the media host and the paused client").isLessThan(16L * 1024 * 1024);
		assertThat(streams.open()).as("still streaming").isEqualTo(1);
		readAtLeast(stream, 2 * 1024 * 1024 + heldBack);
		assertThat(media.produced.get() - producedBefore).as("reading again resumes the upstream").isGreaterThan(2L * 1024 * 1024);
	}

	@Test
	void aMediaHostThatFallsSilentMidBodyIsCutOff() throws Exception {
		media.mode = MediaHost.Mode.STALL;
		RawStream stream = open(url(RecordingFormat.MP3, RecordingChannel.SINGLE));
		assertThat(stream.status).isEqualTo(200);
		assertThat(stream.headers).containsEntry("content-length", "100000");
		long started = System.nanoTime();
		byte[] body = stream.readRest();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(body).as("what was sent before the silence, then the connection closed").hasSize(MediaHost.STALL_AFTER);
		assertThat(took).as("cut off after the 1 s stall timeout").isBetween(Duration.ofMillis(700), Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> streams.open() == 0);
	}

	private static RawStream open(String url) throws IOException {
		RawStream stream = RawStream.open(url, null);
		opened.add(stream);
		return stream;
	}

	private static void readAtLeast(RawStream stream, long bytes) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long target = stream.bytesRead() + bytes;
		while (stream.bytesRead() < target) {
			if (stream.read(buffer, buffer.length) < 0) {
				throw new IOException("The stream ended after " + stream.bytesRead() + " bytes");
			}
		}
	}

	private static String url(RecordingFormat format, RecordingChannel channel) {
		PlaybackTokens tokens = new PlaybackTokens(List.of(KEY), Duration.ofMinutes(15), Clock.systemUTC());
		return "http://127.0.0.1:" + port + "/playback/" + tokens.sign("test", "exogate-demo", callSid, format, channel);
	}

	private static String availableCall() throws Exception {
		JsonNode calls = graphQl("{ calls(first: 20, filter: { hasRecording: true }) { edges { node { sid } } } }");
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			String sid = edge.path("node").path("sid").asString();
			if ("AVAILABLE".equals(graphQl("{ recording(callSid: \"" + sid + "\") { status } }").path("data").path("recording")
				.path("status").asString())) {
				return sid;
			}
		}
		throw new IllegalStateException("No available recording among " + calls);
	}

	private static JsonNode graphQl(String query) throws Exception {
		HttpResponse<String> response = http.send(LoadSupport.request(port, query), HttpResponse.BodyHandlers.ofString());
		JsonNode body = LoadSupport.JSON.readTree(response.body());
		assertThat(body.path("errors").isMissingNode()).as(response.body()).isTrue();
		return body;
	}

}
