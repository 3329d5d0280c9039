package io.exogate.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Finds calls of a given kind in a running sandbox through its own v1 API. */
final class SandboxTestSupport {

	static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

	private SandboxTestSupport() {
	}

	static SandboxSettings settings(SettableClock clock) {
		return SandboxSettings.defaults().toBuilder().clock(clock).seed(42).build();
	}

	/** The v1 JSON of settled calls on the newest page matching {@code filter} (a query string, may be empty). */
	static List<JsonNode> v1Calls(SandboxClient client, String filter) {
		JsonNode page = SandboxClient.json(client.v1("/Calls.json?PageSize=100" + filter));
		List<JsonNode> calls = new ArrayList<>();
		page.get("Calls").forEach(calls::add);
		return calls;
	}

	/** A settled call that has a recording. */
	static String recordedCallSid(SandboxClient client) {
		return v1Calls(client, "&Status=completed").stream()
			.filter((call) -> call.get("RecordingUrl").isString() && !call.get("RecordingUrl").asString().isEmpty())
			.filter((call) -> !call.get("EndTime").asString().startsWith("1970"))
			.map((call) -> call.get("Sid").asString())
			.findFirst()
			.orElseThrow();
	}

	/** A settled call without a recording. */
	static String unrecordedCallSid(SandboxClient client) {
		return v1Calls(client, "&Status=busy").get(0).get("Sid").asString();
	}

}
