package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A cached upstream link that the media host already refuses (its clock is ahead of the gateway's)
 * is replaced transparently: the playback answers with the media, after one 403 and one fresh link.
 */
class PlaybackRefreshTest {

	static final SettableClock sandboxClock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(29).rateLimitPerMinute(100_000)
		.signedUrlLifetime(Duration.ofMinutes(5)).clock(sandboxClock).build());

	static final HttpClient http = LoadSupport.http();

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>(
				LoadSupport.account(0, sandbox, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
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
	void aLinkTheMediaHostRefusesIsRefreshedOnce() throws Exception {
		JsonNode recording = availableRecording();
		String expiredUpstream = recording.path("url").asString();
		byte[] media = get(expiredUpstream, null).body();
		sandboxClock.advance(Duration.ofMinutes(6));
		assertThat(get(expiredUpstream, null).statusCode()).as("the cached link no longer plays").isEqualTo(403);
		long before = sandbox.stats().getOrDefault("media", 0L);
		HttpResponse<byte[]> part = get(recording.path("playbackUrl").asString(), "bytes=10-29");
		assertThat(part.statusCode()).isEqualTo(206);
		assertThat(part.body()).isEqualTo(Arrays.copyOfRange(media, 10, 30));
		assertThat(sandbox.stats().getOrDefault("media", 0L) - before).as("one refused, one served").isEqualTo(2);
	}

	private static JsonNode availableRecording() throws Exception {
		JsonNode calls = graphQl("{ calls(first: 20, filter: { hasRecording: true }) { edges { node { sid } } } }");
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			JsonNode recording = graphQl("{ recording(callSid: \"" + edge.path("node").path("sid").asString()
					+ "\") { status url playbackUrl } }").path("data").path("recording");
			if ("AVAILABLE".equals(recording.path("status").asString())) {
				return recording;
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

	private static HttpResponse<byte[]> get(String url, String range) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (range != null) {
			request.header("Range", range);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

}
