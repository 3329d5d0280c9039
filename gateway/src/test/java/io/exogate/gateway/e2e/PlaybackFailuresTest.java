package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.playback.PlaybackStreams;
import io.exogate.gateway.playback.PlaybackTokens;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Playback failures that no earlier branch answered, over real HTTP: a media host that refuses the
 * fresh link too (a second 403), and a lookup Exotel answers as not found. Each is a coded JSON
 * answer with an audit event, never the server's 500, and neither leaves an ERROR line or the token
 * in any log.
 */
class PlaybackFailuresTest {

	static final byte[] KEY = E2eSupport.playbackKey('f');

	static final MediaHost media = new MediaHost();

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(47).rateLimitPerMinute(100_000)
		.mediaBaseUrl(URI.create(media.origin())).build());

	static final HttpClient http = LoadSupport.http();

	static final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	static ConfigurableApplicationContext gateway;

	static PlaybackStreams streams;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>(
				LoadSupport.account(0, sandbox, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.put("exogate.playback.signing-keys[0]", Base64.getEncoder().encodeToString(KEY));
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
		streams = gateway.getBean(PlaybackStreams.class);
	}

	@BeforeEach
	void capture() {
		synchronized (logged) {
			logged.list.clear();
		}
		logged.start();
		root().addAppender(logged);
	}

	@AfterEach
	void release() {
		root().detachAppender(logged);
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		sandbox.close();
		media.close();
	}

	@Test
	void aMediaHostRefusingTheFreshLinkTooIs502WithoutAnErrorLine() throws Exception {
		String token = token("exogate-demo", availableCall());
		media.mode = MediaHost.Mode.FORBIDDEN;
		media.seen.clear();
		HttpResponse<String> answer = get(token);
		assertThat(answer.statusCode()).isEqualTo(502);
		assertThat(answer.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode error = LoadSupport.JSON.readTree(answer.body()).path("errors").path(0);
		assertThat(error.path("extensions").path("code").asString()).isEqualTo("UPSTREAM_UNAVAILABLE");
		assertThat(error.path("message").asString()).contains("fresh link");
		assertThat(media.seen).as("the cached link, then one fresh link").hasSize(2);
		assertThat(streams.open()).as("the slot is back").isZero();
		assertAudited("upstream-failed");
		assertClean(token);
	}

	@Test
	void aLookupAnsweredNotFoundIs404WithoutAnErrorLine() throws Exception {
		String token = token("no-such-account", "0123456789abcdef0123456789abcdef");
		HttpResponse<String> answer = get(token);
		assertThat(answer.statusCode()).isEqualTo(404);
		JsonNode error = LoadSupport.JSON.readTree(answer.body()).path("errors").path(0);
		assertThat(error.path("extensions").path("code").asString()).isEqualTo("NOT_FOUND");
		assertThat(error.path("message").asString()).isEqualTo("The recording is not available.");
		assertThat(streams.open()).as("the slot is back").isZero();
		assertAudited("not-found");
		assertClean(token);
	}

	private static void assertAudited(String result) {
		assertThat(snapshot(logged)).anySatisfy((event) -> assertThat(event.getFormattedMessage()).contains("\"recording.played\"")
			.contains("\"result\":\"" + result + "\""));
	}

	private static void assertClean(String token) {
		assertThat(snapshot(logged)).as("no ERROR line").noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.ERROR));
		assertThat(snapshot(logged)).as("the token in no log line").noneMatch((event) -> event.getFormattedMessage().contains(token)
				|| (event.getThrowableProxy() != null && String.valueOf(event.getThrowableProxy().getMessage()).contains(token)));
	}

	private static HttpResponse<String> get(String token) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/playback/" + token))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String token(String account, String callSid) {
		return new PlaybackTokens(List.of(KEY), Duration.ofMinutes(15), Clock.systemUTC()).sign("test", account, callSid,
				RecordingFormat.MP3, RecordingChannel.SINGLE);
	}

	/** A call of the account whose MP3 recording Exotel lists as available. */
	private static String availableCall() throws Exception {
		JsonNode calls = graphQl("{ calls(first: 20, filter: { hasRecording: true }) { edges { node { sid } } } }");
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			String sid = edge.path("node").path("sid").asString();
			JsonNode recording = graphQl("{ recording(callSid: \"" + sid + "\", format: MP3, channel: SINGLE) { status } }")
				.path("data").path("recording");
			if ("AVAILABLE".equals(recording.path("status").asString())) {
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

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	/** What was logged so far: the server may still be appending while the test reads. */
	private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
			ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
		synchronized (appender) {
			return new java.util.ArrayList<>(appender.list);
		}
	}

}
