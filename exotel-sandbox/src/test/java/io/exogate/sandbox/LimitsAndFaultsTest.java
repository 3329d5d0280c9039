package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LimitsAndFaultsTest {

	private SettableClock clock;

	private Sandbox sandbox;

	private SandboxClient client;

	@BeforeEach
	void start() {
		this.clock = new SettableClock(SandboxTestSupport.START);
		this.sandbox = Sandbox.start(SandboxTestSupport.settings(this.clock).toBuilder().callsPerAccount(300).rateLimitPerMinute(5).build());
		this.client = new SandboxClient(this.sandbox);
	}

	@AfterEach
	void stop() {
		this.sandbox.close();
	}

	@Test
	void theBudgetIsPerAccountAcrossDialectsAndRefillsWithTime() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.v1("/Calls.json").statusCode()).isEqualTo(200);
		}
		assertThat(this.client.v3("/calls/active").statusCode()).isEqualTo(200);
		HttpResponse<String> last = this.client.v4("/voicelogs");
		assertThat(last.statusCode()).isEqualTo(200);
		assertThat(last.headers().firstValue("x-ratelimit-limit")).hasValue("5");
		assertThat(last.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
		HttpResponse<String> limited = this.client.v1("/Calls.json");
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("retry-after")).hasValue("12");
		assertThat(SandboxClient.json(limited).at("/RestException/Message").asString()).contains("12 seconds");
		assertThat(this.client.get("/v1/Accounts/exogate-demo-2/Calls.json", SandboxClient.basic("demo2-key", "demo2-token"))
			.statusCode()).as("another account has its own budget").isEqualTo(200);
		assertThat(this.sandbox.stats().get("rate_limited")).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(this.client.v1("/Calls.json").statusCode()).isEqualTo(429);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.client.v1("/Calls.json").statusCode()).isEqualTo(200);
		assertThat(this.sandbox.stats().get("rate_limited")).isEqualTo(2);
	}

	@Test
	void aDialectCanHaveItsOwnBudget() {
		this.client.admin("POST", "faults", "{\"v4\":{\"rateLimitPerMinute\":1},\"rateLimitPerMinute\":100}");
		assertThat(this.client.v4("/voicelogs").statusCode()).isEqualTo(200);
		assertThat(this.client.v4("/voicelogs").statusCode()).isEqualTo(429);
		assertThat(this.client.v1("/Calls.json").statusCode()).isEqualTo(200);
	}

	@Test
	void statsCountEveryEndpointAndResetZeroesThem() {
		this.client.admin("POST", "faults", "{\"rateLimitPerMinute\":1000}");
		String sid = SandboxTestSupport.recordedCallSid(this.client);
		this.client.v1("/Calls/" + sid + ".json");
		this.client.v3("/calls/" + sid);
		this.client.v3("/calls/active");
		String url = SandboxClient.json(this.client.v3("/calls/" + sid + "/voice-logs")).at("/response/voice_log/recording_url").asString();
		this.client.v3Post("/voice-logs/bulk", "{\"call_sids\":[\"" + sid + "\"]}");
		this.client.v3Post("/voice-logs/export", "{}");
		this.client.v4("/voicelogs");
		this.client.v4("/voicelogs/" + sid);
		this.client.bytes(url, null, "GET", null);
		JsonNode stats = SandboxClient.json(this.client.admin("GET", "stats", null));
		for (String key : Stats.KEYS) {
			assertThat(stats.has(key)).as(key).isTrue();
			if (!key.equals("rate_limited")) {
				assertThat(stats.get(key).asLong()).as(key).isEqualTo(1);
			}
		}
		assertThat(this.client.admin("POST", "reset", null).statusCode()).isEqualTo(200);
		JsonNode reset = SandboxClient.json(this.client.admin("GET", "stats", null));
		Stats.KEYS.forEach((key) -> assertThat(reset.get(key).asLong()).as(key).isZero());
	}

	@Test
	void anErrorRateAnswers500WithAnHtmlBodyOnThatDialectOnly() {
		this.client.admin("POST", "faults", "{\"v3\":{\"errorRate\":1.0}}");
		HttpResponse<String> failed = this.client.v3("/calls/active");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(failed.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).contains("text/html"));
		assertThat(failed.body()).isEqualTo("<html><head><title>500 Internal Server Error</title></head><body><center>"
				+ "<h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>\n");
		assertThat(this.client.v1("/Calls.json").statusCode()).isEqualTo(200);
		this.client.admin("DELETE", "faults", null);
		assertThat(this.client.v3("/calls/active").statusCode()).isEqualTo(200);
	}

	@Test
	void aForcedStatusAnswersEveryRequest() {
		this.client.admin("POST", "faults", "{\"v4\":{\"forcedStatus\":503},\"v1\":{\"forcedStatus\":401},\"v3\":{\"forcedStatus\":429}}");
		HttpResponse<String> unavailable = this.client.v4("/voicelogs");
		assertThat(unavailable.statusCode()).isEqualTo(503);
		assertThat(unavailable.body()).isEqualTo("<html><head><title>503 Error</title></head><body><center>"
				+ "<h1>503 Error</h1></center><hr><center>nginx</center></body></html>\n");
		HttpResponse<String> unauthorized = this.client.v1("/Calls.json");
		assertThat(unauthorized.statusCode()).isEqualTo(401);
		assertThat(SandboxClient.json(unauthorized).at("/RestException/Status").asInt()).isEqualTo(401);
		HttpResponse<String> limited = this.client.v3("/calls/active");
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("retry-after")).isPresent();
	}

	@Test
	void latencyDelaysTheAnswer() {
		this.client.admin("POST", "faults", "{\"v1\":{\"latencyMs\":300}}");
		long started = System.nanoTime();
		assertThat(this.client.v1("/Calls.json?PageSize=1").statusCode()).isEqualTo(200);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(300);
		JsonNode view = SandboxClient.json(this.client.admin("GET", "faults", null));
		assertThat(view.at("/v1/latencyMs").asInt()).isEqualTo(300);
	}

	@Test
	void invalidFaultsAreRejectedAndChangeNothing() {
		for (String body : new String[] { "{\"v1\":{\"errorRate\":2}}", "{\"v9\":{}}", "{\"v1\":{\"latency\":1}}",
				"{\"rateLimitPerMinute\":0}", "{\"v1\":{\"forcedStatus\":42}}", "[]", "nonsense",
				"{\"v3\":{\"errorRate\":1},\"v1\":{\"forcedStatus\":42}}" }) {
			HttpResponse<String> response = this.client.admin("POST", "faults", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(SandboxClient.json(response).get("message").asString()).as(body).isNotBlank();
		}
		JsonNode view = SandboxClient.json(this.client.admin("GET", "faults", null));
		assertThat(view.at("/v3/errorRate").asDouble()).isZero();
		assertThat(view.get("rateLimitPerMinute").asInt()).isEqualTo(5);
	}

	@Test
	void theProcessingDelayIsASetting() {
		this.client.admin("POST", "faults", "{\"processingDelaySeconds\":3600,\"rateLimitPerMinute\":1000}");
		JsonNode recent = SandboxTestSupport.v1Calls(this.client, "&Status=completed").get(0);
		String sid = recent.get("Sid").asString();
		JsonNode log = SandboxClient.json(this.client.v3("/calls/" + sid + "/voice-logs")).at("/response/voice_log");
		assertThat(log.get("status").asString()).isEqualTo("processing");
		assertThat(log.get("recording_url").isNull()).isTrue();
	}

	@Test
	void adminEndpointsCanBeSwitchedOff() {
		try (Sandbox closed = Sandbox.start(SandboxTestSupport.settings(this.clock).toBuilder().callsPerAccount(10).adminEnabled(false).build())) {
			SandboxClient closedClient = new SandboxClient(closed);
			assertThat(closedClient.admin("GET", "stats", null).statusCode()).isEqualTo(404);
			assertThat(closedClient.admin("POST", "faults", "{\"v1\":{\"forcedStatus\":500}}").statusCode()).isEqualTo(404);
			assertThat(closedClient.v1("/Calls.json").statusCode()).isEqualTo(200);
		}
	}

}
