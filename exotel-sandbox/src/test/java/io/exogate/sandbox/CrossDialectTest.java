package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One call is the same call in every dialect: SID, times, numbers, durations and status. */
class CrossDialectTest {

	private static final SettableClock clock = new SettableClock(SandboxTestSupport.START);

	private static final Map<String, List<String>> V3_BY_V1 = Map.of(
			"completed", List.of("completed"),
			"busy", List.of("to_leg_unanswered"),
			"no-answer", List.of("to_leg_unanswered"),
			"failed", List.of("to_leg_no_dial", "from_leg_cancelled"),
			"canceled", List.of("from_leg_cancelled"),
			"cancelled", List.of("from_leg_cancelled"));

	private static final Map<String, List<String>> V4_BY_V1 = Map.of(
			"completed", List.of("completed"),
			"busy", List.of("busy"),
			"no-answer", List.of("missed"),
			"failed", List.of("failed"),
			"canceled", List.of("abandoned"),
			"cancelled", List.of("abandoned"));

	private static Sandbox sandbox;

	private static SandboxClient client;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().rateLimitPerMinute(100_000).build());
		client = new SandboxClient(sandbox);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void everySettledCallOfAPageAgreesAcrossV1V3AndV4() {
		List<JsonNode> calls = SandboxTestSupport.v1Calls(client, "&details=true");
		int checked = 0;
		for (JsonNode v1 : calls) {
			if (v1.get("EndTime").asString().startsWith("1970")) {
				continue;
			}
			String sid = v1.get("Sid").asString();
			JsonNode v3 = SandboxClient.json(client.v3("/calls/" + sid)).at("/response/call_details");
			JsonNode v4 = SandboxClient.json(client.v4("/voicelogs/" + sid)).at("/response/data");
			assertThat(v3.get("sid").asString()).isEqualTo(sid);
			assertThat(v4.get("call_sid").asString()).isEqualTo(sid);

			Instant start = ExotelTime.parseV1(v1.get("StartTime").asString());
			Instant end = ExotelTime.parseV1(v1.get("EndTime").asString());
			assertThat(OffsetDateTime.parse(v3.get("start_time").asString(), ExotelTime.V3).toInstant()).isEqualTo(start);
			assertThat(OffsetDateTime.parse(v3.get("end_time").asString(), ExotelTime.V3).toInstant()).isEqualTo(end);
			assertThat(Instant.parse(v4.get("start_time").asString())).isEqualTo(start);
			assertThat(Instant.parse(v4.get("end_time").asString())).isEqualTo(end);
			assertThat(v3.get("start_time").asString()).endsWith("+05:30");
			assertThat(v4.get("start_time").asString()).endsWith("Z");

			int duration = Integer.parseInt(v1.get("Duration").asString());
			assertThat(v3.get("total_duration").asInt()).isEqualTo(duration);
			assertThat(v4.get("duration").asInt()).isEqualTo(duration);
			assertThat(v3.get("total_talk_time").asInt()).isEqualTo(v1.at("/Details/ConversationDuration").asInt());
			assertThat(v4.get("talk_time").asInt() + v4.get("hold_time").asInt())
				.isEqualTo(v1.at("/Details/ConversationDuration").asInt());

			String exophone = V1Api.sameNumber(v1.get("PhoneNumberSid").asString());
			assertThat(V1Api.sameNumber(v3.get("virtual_number").asString())).isEqualTo(exophone);
			assertThat(V1Api.sameNumber(v4.get("exophone").asString())).isEqualTo(exophone);
			boolean inbound = v1.get("Direction").asString().equals("inbound");
			assertThat(v3.get("direction").asString()).isEqualTo(inbound ? "inbound" : "outbound");
			assertThat(v4.get("direction").asString()).isEqualTo(inbound ? "inbound" : "outbound");
			String customer = inbound ? v1.get("From").asString() : v1.get("To").asString();
			assertThat(V1Api.sameNumber(v4.at("/customer/number").asString())).isEqualTo(V1Api.sameNumber(customer));

			String status = v1.get("Status").asString();
			assertThat(V3_BY_V1.get(status)).as(sid).contains(v3.get("status").asString());
			assertThat(V4_BY_V1.get(status)).as(sid).contains(v4.get("status").asString());
			boolean recorded = !v1.get("RecordingUrl").isNull() && !v1.get("RecordingUrl").asString().isEmpty();
			assertThat(v4.at("/recording/available").asBoolean()).isEqualTo(recorded);
			assertThat(v3.get("recordings").size()).isEqualTo(recorded ? 1 : 0);
			checked++;
		}
		assertThat(checked).isGreaterThan(50);
	}

}
