package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.playback.PlaybackTokens;
import io.exogate.gateway.security.Audit;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Playback over real HTTP: the packaged application in front of the sandbox, two tenants each with
 * its own account. What {@code playbackUrl} serves is byte for byte what the sandbox serves from the
 * signed link; a token that is forged, signed by another key, expired or malformed is refused
 * before any media request; a token binds its tenant and account.
 */
class PlaybackEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(23).rateLimitPerMinute(100_000).build());

	static final byte[] NEW_KEY = key('n');

	static final byte[] OLD_KEY = key('o');

	static final byte[] OTHER_KEY = key('x');

	static final String ALPHA_KEY = TestSecrets.register("playback-alpha-key-71c2e9");

	static final String BETA_KEY = TestSecrets.register("playback-beta-key-0d84aa");

	static final HttpClient http = LoadSupport.http();

	static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>();
		properties.putAll(LoadSupport.account(0, sandbox, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.putAll(LoadSupport.account(1, sandbox, "exogate-demo-2", "demo2-key", "demo2-token", "demo2-v4-token", 100_000));
		tenant(properties, 0, "alpha", "exogate-demo", ALPHA_KEY);
		tenant(properties, 1, "beta", "exogate-demo-2", BETA_KEY);
		properties.put("exogate.playback.signing-keys[0]", Base64.getEncoder().encodeToString(NEW_KEY));
		properties.put("exogate.playback.signing-keys[1]", Base64.getEncoder().encodeToString(OLD_KEY));
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
		audit.start();
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audit);
	}

	@AfterAll
	static void stop() {
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audit);
		if (gateway != null) {
			gateway.close();
		}
		sandbox.close();
	}

	@Test
	void aRangeIsExactlyThoseBytesOfTheSandboxsMedia() throws Exception {
		JsonNode recording = recording(ALPHA_KEY, RecordingFormat.MP3);
		byte[] upstream = get(recording.path("url").asString(), null).body();
		assertThat(upstream.length).isGreaterThan(2000);
		HttpResponse<byte[]> part = get(recording.path("playbackUrl").asString(), "bytes=100-1099");
		assertThat(part.statusCode()).isEqualTo(206);
		assertThat(part.body()).isEqualTo(Arrays.copyOfRange(upstream, 100, 1100));
		assertThat(part.headers().firstValue("content-range")).hasValue("bytes 100-1099/" + upstream.length);
		assertThat(part.headers().firstValue("content-length")).hasValue("1000");
		assertThat(part.headers().firstValue("accept-ranges")).hasValue("bytes");
		assertThat(part.headers().firstValue("content-type")).hasValue("audio/mpeg");
		assertThat(part.headers().allValues("cache-control")).anySatisfy((value) -> assertThat(value).contains("no-store"));

		HttpResponse<byte[]> whole = get(recording.path("playbackUrl").asString(), null);
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.body()).isEqualTo(upstream);
		assertThat(whole.headers().firstValue("content-length")).hasValue(String.valueOf(upstream.length));
		assertThat(whole.headers().firstValue("content-disposition")).isEmpty();

		HttpResponse<byte[]> beyond = get(recording.path("playbackUrl").asString(), "bytes=" + upstream.length + "-");
		assertThat(beyond.statusCode()).isEqualTo(416);

		HttpResponse<byte[]> multi = get(recording.path("playbackUrl").asString(), "bytes=0-1,5-6");
		assertThat(multi.statusCode()).as("a multi-range request is served whole").isEqualTo(200);
		assertThat(multi.body()).isEqualTo(upstream);

		List<String> events = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		String token = recording.path("playbackUrl").asString().substring(recording.path("playbackUrl").asString().lastIndexOf('/') + 1);
		assertThat(events).anySatisfy((event) -> assertThat(event).contains("\"recording.played\"")
			.contains("\"via\":\"/playback\"").contains("\"range\":\"bytes=100-1099\"").contains("\"result\":\"206\""));
		assertThat(events).noneMatch((event) -> event.contains(token));
	}

	@Test
	void everyKindOfSingleRangeIsExactlyThoseBytesAndHeadAnswersTheSameHeaders() throws Exception {
		JsonNode recording = recording(ALPHA_KEY, RecordingFormat.WAV);
		String playbackUrl = recording.path("playbackUrl").asString();
		byte[] upstream = get(recording.path("url").asString(), null).body();
		int length = upstream.length;
		assertThat(length).isGreaterThan(100_000);
		Map<String, int[]> ranges = new java.util.LinkedHashMap<>();
		ranges.put("bytes=0-0", new int[] { 0, 0 });
		ranges.put("bytes=0-43", new int[] { 0, 43 });
		ranges.put("bytes=1000-65535", new int[] { 1000, 65535 });
		ranges.put("bytes=" + (length - 1) + "-" + (length - 1), new int[] { length - 1, length - 1 });
		ranges.put("bytes=-1", new int[] { length - 1, length - 1 });
		ranges.put("bytes=-5000", new int[] { length - 5000, length - 1 });
		ranges.put("bytes=" + (length - 70_000) + "-", new int[] { length - 70_000, length - 1 });
		ranges.put("bytes=12345-" + (length + 1000), new int[] { 12345, length - 1 });
		for (Map.Entry<String, int[]> range : ranges.entrySet()) {
			int from = range.getValue()[0];
			int to = range.getValue()[1];
			HttpResponse<byte[]> part = get(playbackUrl, range.getKey());
			assertThat(part.statusCode()).as(range.getKey()).isEqualTo(206);
			assertThat(part.body()).as(range.getKey()).isEqualTo(Arrays.copyOfRange(upstream, from, to + 1));
			assertThat(part.headers().firstValue("content-range")).as(range.getKey()).hasValue("bytes " + from + "-" + to + "/" + length);
			assertThat(part.headers().firstValue("content-length")).as(range.getKey()).hasValue(String.valueOf(to - from + 1));
			assertSameHeaders(part, head(playbackUrl, range.getKey()), range.getKey());
		}
		for (String unsatisfiable : List.of("bytes=" + length + "-", "bytes=" + (length + 10) + "-" + (length + 20), "bytes=-0")) {
			HttpResponse<byte[]> refused = get(playbackUrl, unsatisfiable);
			assertThat(refused.statusCode()).as(unsatisfiable).isEqualTo(416);
			assertThat(refused.headers().firstValue("content-range")).as(unsatisfiable).hasValue("bytes */" + length);
			assertThat(refused.body()).as(unsatisfiable).isEmpty();
		}
		HttpResponse<byte[]> whole = get(playbackUrl, null);
		assertThat(whole.body()).isEqualTo(upstream);
		assertSameHeaders(whole, head(playbackUrl, null), "whole");
	}

	private static void assertSameHeaders(HttpResponse<byte[]> get, HttpResponse<byte[]> head, String what) {
		assertThat(head.statusCode()).as(what).isEqualTo(get.statusCode());
		assertThat(head.body()).as(what + ": HEAD has no body").isEmpty();
		for (String name : List.of("content-type", "content-length", "content-range", "accept-ranges", "cache-control",
				"content-disposition")) {
			assertThat(head.headers().allValues(name)).as(what + ": " + name).isEqualTo(get.headers().allValues(name));
		}
	}

	private static HttpResponse<byte[]> head(String url, String range) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30));
		if (range != null) {
			request.header("Range", range);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void headAndDownloadAndWav() throws Exception {
		JsonNode recording = recording(ALPHA_KEY, RecordingFormat.WAV);
		String playbackUrl = recording.path("playbackUrl").asString();
		assertThat(playbackUrl).startsWith("http://127.0.0.1:" + port + "/playback/");
		byte[] upstream = get(recording.path("url").asString(), null).body();
		HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(playbackUrl))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.body()).isEmpty();
		assertThat(head.headers().firstValue("content-type")).hasValue("audio/wav");
		assertThat(head.headers().firstValue("content-length")).hasValue(String.valueOf(upstream.length));
		assertThat(head.headers().firstValue("accept-ranges")).hasValue("bytes");

		HttpResponse<byte[]> download = get(playbackUrl + "?download=true", null);
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("content-disposition"))
			.hasValue("attachment; filename=\"" + recording.path("callSid").asString() + ".wav\"");
		assertThat(download.body()).isEqualTo(upstream);
	}

	@Test
	void badTokensAreRefusedWithoutAnyMediaRequest() throws Exception {
		JsonNode alpha = recording(ALPHA_KEY, RecordingFormat.MP3);
		JsonNode beta = recording(BETA_KEY, RecordingFormat.MP3);
		String sid = alpha.path("callSid").asString();
		Instant now = Instant.now();
		String base = "http://127.0.0.1:" + port + "/playback/";
		String otherKey = tokens(OTHER_KEY, now).sign("alpha", "exogate-demo", sid, RecordingFormat.MP3, RecordingChannel.SINGLE);
		String expired = tokens(NEW_KEY, now.minus(Duration.ofHours(1))).sign("alpha", "exogate-demo", sid, RecordingFormat.MP3,
				RecordingChannel.SINGLE);
		String alphaToken = token(alpha);
		String betaToken = token(beta);
		// Alpha's signature on a payload naming beta, beta's account and beta's call.
		String replayed = betaToken.substring(0, betaToken.indexOf('.')) + alphaToken.substring(alphaToken.indexOf('.'));
		long before = sandbox.stats().getOrDefault("media", 0L);
		assertRefused(base + otherKey, 401, "not issued by this gateway");
		assertRefused(base + expired, 401, "has expired");
		assertRefused(base + replayed, 401, "not issued by this gateway");
		assertRefused(base + "not-a-token", 400, "not a valid playback link");
		assertRefused(base + alphaToken.substring(0, alphaToken.length() - 3), 400, "not a valid playback link");
		assertThat(sandbox.stats().getOrDefault("media", 0L)).as("no media request for a refused token").isEqualTo(before);
		List<String> events = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(events).anySatisfy((event) -> assertThat(event).contains("\"via\":\"/playback\"")
			.contains("\"result\":\"unauthenticated\"").contains("playback-token-expired"));
		assertThat(events).noneMatch((event) -> event.contains(expired) || event.contains(otherKey));
	}

	@Test
	void aTokenSignedWithTheSecondKeyStillPlays() throws Exception {
		JsonNode recording = recording(ALPHA_KEY, RecordingFormat.MP3);
		String old = tokens(OLD_KEY, Instant.now()).sign("alpha", "exogate-demo", recording.path("callSid").asString(),
				RecordingFormat.MP3, RecordingChannel.SINGLE);
		HttpResponse<byte[]> part = get("http://127.0.0.1:" + port + "/playback/" + old, "bytes=0-9");
		assertThat(part.statusCode()).isEqualTo(206);
		assertThat(part.body()).isEqualTo(Arrays.copyOfRange(get(recording.path("url").asString(), null).body(), 0, 10));
	}

	@Test
	void aValidTokenForACallWithoutARecordingIsNotFound() throws Exception {
		String token = tokens(NEW_KEY, Instant.now()).sign("alpha", "exogate-demo", "0123456789abcdef0123456789abcdef",
				RecordingFormat.MP3, RecordingChannel.SINGLE);
		long before = sandbox.stats().getOrDefault("media", 0L);
		assertRefused("http://127.0.0.1:" + port + "/playback/" + token, 404, "not available");
		assertThat(sandbox.stats().getOrDefault("media", 0L)).isEqualTo(before);
	}

	private static void assertRefused(String url, int status, String message) throws Exception {
		HttpResponse<byte[]> response = get(url, null);
		assertThat(response.statusCode()).as(url).isEqualTo(status);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(LoadSupport.JSON.readTree(response.body()).path("errors").path(0).path("message").asString()).contains(message);
	}

	/** An available recording of the tenant's account, with its signed upstream url and its playbackUrl. */
	private static JsonNode recording(String key, RecordingFormat format) throws Exception {
		JsonNode calls = graphQl(key, "{ calls(first: 20, filter: { hasRecording: true }) { edges { node { sid } } } }");
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			JsonNode recording = graphQl(key, "{ recording(callSid: \"" + edge.path("node").path("sid").asString() + "\", format: "
					+ format + ", channel: SINGLE) { callSid status url playbackUrl } }").path("data").path("recording");
			if ("AVAILABLE".equals(recording.path("status").asString())) {
				assertThat(recording.path("playbackUrl").asString()).doesNotContain("demo-key").doesNotContain("signature");
				return recording;
			}
			assertThat(recording.path("playbackUrl").isNull()).as("no playbackUrl unless AVAILABLE").isTrue();
		}
		throw new IllegalStateException("No available recording among " + calls);
	}

	private static JsonNode graphQl(String key, String query) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.header("Content-Type", "application/json")
			.header(E2eSupport.KEY_HEADER, key)
			.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body(query)))
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = LoadSupport.JSON.readTree(response.body());
		assertThat(body.path("errors").isMissingNode()).as(response.body()).isTrue();
		return body;
	}

	private static HttpResponse<byte[]> get(String url, String range) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (range != null) {
			request.header("Range", range);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static String token(JsonNode recording) {
		String url = recording.path("playbackUrl").asString();
		return url.substring(url.lastIndexOf('/') + 1);
	}

	private static PlaybackTokens tokens(byte[] key, Instant now) {
		return new PlaybackTokens(List.of(key), Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
	}

	private static void tenant(Map<String, String> properties, int index, String id, String account, String key) {
		String prefix = "exogate.security.tenants[" + index + "].";
		properties.put(prefix + "id", id);
		properties.put(prefix + "api-keys[0]", "sha256:" + E2eSupport.sha256(key));
		properties.put(prefix + "accounts[0]", account);
		properties.put(prefix + "default-account", account);
		properties.put(prefix + "requests-per-minute", "1000000");
	}

	static byte[] key(char fill) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) fill);
		return key;
	}

}
