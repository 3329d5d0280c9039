package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DataTest {

	@Test
	void theSameSeedGivesTheSameCallsAndAnotherSeedOthers() {
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox a = Sandbox.start(SandboxTestSupport.settings(clock));
				Sandbox b = Sandbox.start(SandboxTestSupport.settings(clock));
				Sandbox c = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().seed(7).build())) {
			String pageA = new SandboxClient(a).v1("/Calls.json?PageSize=20").body();
			String pageB = new SandboxClient(b).v1("/Calls.json?PageSize=20").body();
			String pageC = new SandboxClient(c).v1("/Calls.json?PageSize=20").body();
			assertThat(pageA).isEqualTo(pageB.replace(b.baseUrl(), a.baseUrl()));
			assertThat(sids(pageA)).doesNotContainAnyElementsOf(sids(pageC));
		}
	}

	@Test
	void fiveThousandCallsSpreadOverSixtyDaysWithARealisticMix() {
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().rateLimitPerMinute(100_000).build())) {
			SandboxClient client = new SandboxClient(sandbox);
			Map<String, Integer> statuses = new HashMap<>();
			int withoutRecording = 0;
			int total = 0;
			Instant oldest = Instant.MAX;
			for (int offset = 0;; offset += 100) {
				JsonNode page = SandboxClient.json(client.v4("/voicelogs?limit=100&sort_by=date:asc&offset=" + offset));
				for (JsonNode log : page.at("/response/data/voicelogs")) {
					statuses.merge(log.get("status").asString(), 1, Integer::sum);
					if (!log.at("/recording/available").asBoolean()) {
						withoutRecording++;
					}
					Instant start = Instant.parse(log.get("start_time").asString());
					oldest = start.isBefore(oldest) ? start : oldest;
					total++;
				}
				if (!page.at("/response/metadata/has_next").asBoolean()) {
					break;
				}
			}
			assertThat(total).isBetween(5000, 5040);
			assertThat(statuses.keySet()).containsExactlyInAnyOrder("completed", "busy", "missed", "failed", "abandoned");
			assertThat(statuses.get("completed") * 100 / total).isBetween(75, 88);
			assertThat(withoutRecording * 100 / total).as("about a fifth without a recording").isBetween(15, 25);
			assertThat(oldest).isBetween(SandboxTestSupport.START.minus(Duration.ofDays(60)),
					SandboxTestSupport.START.minus(Duration.ofDays(59)));
		}
	}

	@Test
	void liveCallsStartAndEndAsTimePasses() {
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().callsPerAccount(100).build())) {
			SandboxClient client = new SandboxClient(sandbox);
			Set<String> before = activeSids(client);
			assertThat(before).isNotEmpty();
			clock.advance(Duration.ofMinutes(30));
			Set<String> after = activeSids(client);
			assertThat(after).isNotEmpty().doesNotContainAnyElementsOf(before);
			for (String sid : before) {
				JsonNode details = SandboxClient.json(client.v3("/calls/" + sid)).at("/response/call_details");
				assertThat(details.get("state").asString()).isEqualTo("terminal");
				assertThat(details.get("end_time").asString()).doesNotStartWith("1970");
			}
		}
	}

	@Test
	void aRecordingIsProcessingForTwoMinutesAfterTheCallEnds() {
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().callsPerAccount(100).build())) {
			SandboxClient client = new SandboxClient(sandbox);
			String sid = null;
			for (int i = 0; i < 120 && sid == null; i++) {
				clock.advance(Duration.ofSeconds(5));
				for (JsonNode log : SandboxClient.json(client.v4("/voicelogs?limit=20&status=completed")).at("/response/data/voicelogs")) {
					Instant ended = Instant.parse(log.get("end_time").asString());
					if (Duration.between(ended, clock.instant()).compareTo(Duration.ofSeconds(10)) < 0) {
						sid = log.get("call_sid").asString();
						break;
					}
				}
			}
			assertThat(sid).as("a completed call ends within ten minutes").isNotNull();
			JsonNode log = SandboxClient.json(client.v3("/calls/" + sid + "/voice-logs")).at("/response/voice_log");
			if (log.get("status").asString().equals("processing")) {
				clock.advance(Duration.ofMinutes(2));
				assertThat(SandboxClient.json(client.v3("/calls/" + sid + "/voice-logs")).at("/response/voice_log/status").asString())
					.isEqualTo("available");
			}
			else {
				assertThat(client.v3("/calls/" + sid + "/voice-logs").statusCode()).as("an unrecorded call has no voice log")
					.isEqualTo(404);
			}
		}
	}

	@Test
	void standaloneOptionsAreParsedAndUnknownOnesRefused() {
		SandboxSettings settings = SandboxMain.parse(new String[] { "--server.port=9123", "--sandbox.rate-limit-per-minute=50",
				"--sandbox.account=acme:k:t:v4", "--sandbox.admin-enabled=false", "--sandbox.signed-url-lifetime-seconds=90" });
		assertThat(settings.port()).isEqualTo(9123);
		assertThat(settings.rateLimitPerMinute()).isEqualTo(50);
		assertThat(settings.accounts()).extracting(SandboxAccount::sid).containsExactly("acme");
		assertThat(settings.adminEnabled()).isFalse();
		assertThat(settings.signedUrlLifetime()).isEqualTo(Duration.ofSeconds(90));
		assertThat(SandboxMain.parse(new String[0]).port()).isEqualTo(8090);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxMain.parse(new String[] { "--sandbox.colour=blue" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--sandbox.colour");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxMain.parse(new String[] { "--sandbox.account=broken" }))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void credentialsNeverShowInToString() {
		SandboxSettings settings = SandboxSettings.defaults();
		assertThat(settings.toString()).doesNotContain("demo-token").doesNotContain("demo-v4-token").doesNotContain(settings.signingKey());
	}

	private static Set<String> activeSids(SandboxClient client) {
		Set<String> sids = new HashSet<>();
		SandboxClient.json(client.v3("/calls/active")).at("/response/call_details").forEach((call) -> sids.add(call.get("sid").asString()));
		return sids;
	}

	private static List<String> sids(String page) {
		List<String> sids = new java.util.ArrayList<>();
		Json.read(page).get("Calls").forEach((call) -> sids.add(call.get("Sid").asString()));
		return sids;
	}

}
