package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.TestSecrets;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxAccount;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Private recording links (unsigned, answering 401 without the account's key and token, as Exotel's
 * since October 2024) over real HTTP. Three accounts, each on a sandbox of its own that hands out
 * private links: the first's on its own API origin, which the gateway fetches with the account's
 * credentials; the second's on another host, which never sees them; the third's on a configured
 * media origin that redirects, which is not followed.
 */
class PlaybackPrivateMediaTest {

	static final String ACME_KEY = TestSecrets.register("acme3-api-key-5f0c2b");

	static final String ACME_TOKEN = TestSecrets.register("acme3-api-token-9e71d4");

	static final MediaHost foreign = new MediaHost();

	static final MediaHost redirecting = new MediaHost();

	static final Sandbox own = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(31).rateLimitPerMinute(100_000)
		.privateRecordingUrls(true).build());

	static final Sandbox elsewhere = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(37).rateLimitPerMinute(100_000)
		.privateRecordingUrls(true).mediaBaseUrl(URI.create(foreign.origin())).build());

	static final Sandbox redirected = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(41).rateLimitPerMinute(100_000)
		.accounts(List.of(new SandboxAccount("acme-3", ACME_KEY, ACME_TOKEN, TestSecrets.register("acme3-v4-token-3b8e19"))))
		.privateRecordingUrls(true).mediaBaseUrl(URI.create(redirecting.origin())).build());

	static final HttpClient http = LoadSupport.http();

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>();
		properties.putAll(LoadSupport.account(0, own, "exogate-demo", "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.putAll(LoadSupport.account(1, elsewhere, "exogate-demo-2", "demo2-key", "demo2-token", "demo2-v4-token", 100_000));
		properties.putAll(LoadSupport.account(2, redirected, "acme-3", ACME_KEY, ACME_TOKEN, "acme3-v4-token-3b8e19", 100_000));
		properties.put("exogate.exotel.accounts[2].media-origins[0]", redirecting.origin());
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
		foreign.mode = MediaHost.Mode.UNAUTHORIZED;
		redirecting.mode = MediaHost.Mode.REDIRECT;
		redirecting.redirectTo = foreign.origin() + "/elsewhere/recording.mp3";
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		own.close();
		elsewhere.close();
		redirected.close();
		foreign.close();
		redirecting.close();
	}

	@Test
	void aPrivateLinkOnTheAccountsOwnOriginIsFetchedWithItsCredentials() throws Exception {
		JsonNode recording = recording("exogate-demo", "WAV", "DUAL");
		String url = recording.path("url").asString();
		assertThat(url).as("a private, unsigned link").startsWith(own.baseUrl() + "/exotelrecordings/").doesNotContain("?");
		assertThat(get(url, null, null).statusCode()).as("the sandbox refuses it without credentials").isEqualTo(401);
		byte[] media = get(url, null, basic("demo-key", "demo-token")).body();
		assertThat(media.length).as("a dual-channel WAV with the account's credentials").isGreaterThan(100_000);

		HttpResponse<byte[]> whole = get(recording.path("playbackUrl").asString(), null, null);
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.body()).isEqualTo(media);
		HttpResponse<byte[]> part = get(recording.path("playbackUrl").asString(), "bytes=40-1039", null);
		assertThat(part.statusCode()).isEqualTo(206);
		assertThat(part.body()).isEqualTo(Arrays.copyOfRange(media, 40, 1040));
		assertThat(part.headers().firstValue("content-range")).hasValue("bytes 40-1039/" + media.length);
	}

	@Test
	void aPrivateLinkOnAnotherHostNeverGetsTheCredentials() throws Exception {
		foreign.seen.clear();
		JsonNode recording = recording("exogate-demo-2", "MP3", "SINGLE");
		assertThat(recording.path("url").asString()).startsWith(foreign.origin() + "/exotelrecordings/");
		HttpResponse<byte[]> answer = get(recording.path("playbackUrl").asString(), "bytes=0-99", null);
		assertThat(answer.statusCode()).isEqualTo(502);
		String body = new String(answer.body(), StandardCharsets.UTF_8);
		assertThat(body).contains("UPSTREAM_UNAVAILABLE").doesNotContain("demo2-key").doesNotContain("demo2-token")
			.doesNotContain("Basic");
		assertThat(foreign.seen).as("the other host was asked").isNotEmpty();
		assertThat(foreign.seen).as("and never with credentials").allSatisfy((seen) -> assertThat(seen.authorization()).isNull());
	}

	@Test
	void aRedirectFromTheMediaOriginIsNotFollowed() throws Exception {
		foreign.seen.clear();
		redirecting.seen.clear();
		JsonNode recording = recording("acme-3", "MP3", "SINGLE");
		HttpResponse<byte[]> answer = get(recording.path("playbackUrl").asString(), null, null);
		assertThat(answer.statusCode()).isEqualTo(502);
		assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("redirect").doesNotContain(ACME_KEY)
			.doesNotContain(ACME_TOKEN).doesNotContain(foreign.origin());
		assertThat(redirecting.seen).as("the configured media origin gets the account's credentials")
			.anySatisfy((seen) -> assertThat(seen.authorization()).isEqualTo(basic(ACME_KEY, ACME_TOKEN)));
		assertThat(foreign.seen).as("the redirect's target is never asked").isEmpty();
	}

	private static String basic(String key, String token) {
		return "Basic " + Base64.getEncoder().encodeToString((key + ":" + token).getBytes(StandardCharsets.UTF_8));
	}

	/** An available recording of the account, with its upstream url and its playbackUrl. */
	private static JsonNode recording(String account, String format, String channel) throws Exception {
		JsonNode calls = graphQl("{ calls(first: 20, account: \"" + account + "\", filter: { hasRecording: true }) { edges { node { sid } } } }");
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			JsonNode recording = graphQl("{ recording(callSid: \"" + edge.path("node").path("sid").asString() + "\", account: \""
					+ account + "\", format: " + format + ", channel: " + channel + ") { callSid status url sizeBytes playbackUrl } }")
				.path("data").path("recording");
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

	private static HttpResponse<byte[]> get(String url, String range, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
		if (range != null) {
			request.header("Range", range);
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

}
