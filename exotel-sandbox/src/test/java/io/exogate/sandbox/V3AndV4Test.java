package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

class V3AndV4Test {

	private static final SettableClock clock = new SettableClock(SandboxTestSupport.START);

	private static Sandbox sandbox;

	private static SandboxClient client;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder()
			.rateLimitPerMinute(100_000)
			.exportDelay(Duration.ofMillis(200))
			.build());
		client = new SandboxClient(sandbox);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void activeCallsAreLiveOrWrappingUp() {
		JsonNode active = SandboxClient.json(client.v3("/calls/active")).at("/response/call_details");
		assertThat(active.size()).isPositive();
		active.forEach((call) -> {
			assertThat(call.get("state").asString()).isEqualTo("active");
			assertThat(call.get("status").isNull()).isTrue();
			assertThat(call.get("end_time").asString()).isEqualTo("1970-01-01 05:30:00+05:30");
		});
	}

	@Test
	void aCallWithoutRecordingHasNoVoiceLog() {
		HttpResponse<String> response = client.v3("/calls/" + SandboxTestSupport.unrecordedCallSid(client) + "/voice-logs");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SandboxClient.json(response).at("/response/status").asString()).isEqualTo("failure");
		assertThat(client.v3("/calls/0000/voice-logs").statusCode()).isEqualTo(404);
		assertThat(client.v3("/calls/0000").statusCode()).isEqualTo(404);
	}

	@Test
	void voiceLogsHonourFormatAndChannelAndStateTheirExpiry() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		JsonNode log = SandboxClient.json(client.v3("/calls/" + sid + "/voice-logs?format=wav&channel=dual&include_metadata=true"))
			.at("/response/voice_log");
		assertThat(log.get("format").asString()).isEqualTo("wav");
		assertThat(log.get("channel").asString()).isEqualTo("dual");
		assertThat(log.get("recording_url").asString()).contains(".wav?channel=dual&expires=");
		assertThat(log.get("expires_at").asString())
			.isEqualTo(ExotelTime.v4(clock.instant().plus(Duration.ofHours(24)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
		assertThat(log.get("recording_size_bytes").asLong()).isEqualTo(44 + log.get("recording_duration").asLong() * 8000 * 2 * 2);
		assertThat(log.at("/metadata/from").asString()).startsWith("+91");
	}

	@Test
	void badVoiceLogParametersAnswer400() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		assertThat(client.v3("/calls/" + sid + "/voice-logs?format=ogg").statusCode()).isEqualTo(400);
		assertThat(client.v3("/calls/" + sid + "/voice-logs?channel=quad").statusCode()).isEqualTo(400);
		assertThat(client.v3("/calls/" + sid + "/voice-logs?include_metadata=yes").statusCode()).isEqualTo(400);
	}

	@Test
	void bulkVoiceLogsAnswerEverySidOnceAndRejectMoreThanAHundred() {
		String recorded = SandboxTestSupport.recordedCallSid(client);
		String unrecorded = SandboxTestSupport.unrecordedCallSid(client);
		JsonNode logs = SandboxClient.json(client.v3Post("/voice-logs/bulk",
				"{\"call_sids\":[\"" + recorded + "\",\"" + unrecorded + "\",\"" + recorded + "\"],\"format\":\"wav\"}"))
			.at("/response/voice_logs");
		assertThat(logs).hasSize(2);
		assertThat(logs.get(0).get("status").asString()).isEqualTo("available");
		assertThat(logs.get(0).get("recording_url").asString()).contains(".wav?channel=single");
		assertThat(logs.get(1).get("status").asString()).isEqualTo("not_available");
		assertThat(logs.get(1).get("recording_url").isNull()).isTrue();
		String tooMany = IntStream.range(0, 101).mapToObj((i) -> "\"s" + i + "\"").collect(Collectors.joining(","));
		assertThat(client.v3Post("/voice-logs/bulk", "{\"call_sids\":[" + tooMany + "]}").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/bulk", "{\"call_sids\":[]}").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/bulk", "not json").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/bulk", "{\"call_sids\":[\"a/b\"]}").statusCode()).isEqualTo(400);
	}

	@Test
	void anExportIsAnnouncedToItsCallbackWithADownloadableArchive() throws Exception {
		CompletableFuture<String> received = new CompletableFuture<>();
		DisposableServer receiver = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive().aggregate().asString().doOnNext(received::complete)
				.then(response.status(200).send()))
			.bindNow();
		try {
			HttpResponse<String> accepted = client.v3Post("/voice-logs/export",
					"{\"start_date\":\"2026-11-19T00:00:00Z\",\"end_date\":\"2026-11-19T12:00:00Z\",\"format\":\"mp3\","
							+ "\"callback_url\":\"http://127.0.0.1:" + receiver.port() + "/export-ready?secret=s\"}");
			assertThat(accepted.statusCode()).isEqualTo(202);
			String exportId = SandboxClient.json(accepted).at("/response/export/export_id").asString();
			JsonNode callback = Json.read(received.get(10, TimeUnit.SECONDS));
			assertThat(callback.get("export_id").asString()).isEqualTo(exportId);
			assertThat(callback.get("status").asString()).isEqualTo("completed");
			HttpResponse<byte[]> zip = client.bytes(callback.get("download_url").asString(), null, "GET", null);
			assertThat(zip.statusCode()).isEqualTo(200);
			List<String> entries = new ArrayList<>();
			try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
				for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
					entries.add(entry.getName());
					assertThat(in.readAllBytes()).startsWith((byte) 0xFF);
				}
			}
			assertThat(entries).hasSize(callback.get("recording_count").asInt()).isNotEmpty().allMatch((name) -> name.endsWith(".mp3"));
		}
		finally {
			receiver.disposeNow();
		}
	}

	@Test
	void badExportsAnswer400() {
		assertThat(client.v3Post("/voice-logs/export", "{\"start_date\":\"2026-11-19T00:00:00Z\",\"end_date\":\"2026-11-18T00:00:00Z\","
				+ "\"callback_url\":\"http://127.0.0.1:9/x\"}").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/export", "{\"start_date\":\"2026-09-01T00:00:00Z\",\"end_date\":\"2026-11-18T00:00:00Z\","
				+ "\"callback_url\":\"http://127.0.0.1:9/x\"}").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/export", "{\"start_date\":\"2026-11-17T00:00:00Z\",\"end_date\":\"2026-11-18T00:00:00Z\","
				+ "\"callback_url\":\"ftp://x/y\"}").statusCode()).isEqualTo(400);
		assertThat(client.v3Post("/voice-logs/export", "{\"start_date\":\"yesterday\",\"end_date\":\"2026-11-18T00:00:00Z\","
				+ "\"callback_url\":\"http://127.0.0.1:9/x\"}").statusCode()).isEqualTo(400);
	}

	@Test
	void v3WantsBasicAuthAndV4WantsItsBearerToken() {
		assertThat(client.get("/v3/accounts/exogate-demo/calls/active", "Bearer demo-v4-token").statusCode()).isEqualTo(401);
		assertThat(client.get("/v4/accounts/exogate-demo/voicelogs", SandboxClient.basic("demo-key", "demo-token")).statusCode())
			.isEqualTo(401);
		assertThat(client.get("/v4/accounts/exogate-demo/voicelogs", "Bearer demo2-v4-token").statusCode()).isEqualTo(401);
		HttpResponse<String> unauthorized = client.get("/v4/accounts/exogate-demo/voicelogs", null);
		assertThat(unauthorized.statusCode()).isEqualTo(401);
		assertThat(SandboxClient.json(unauthorized).at("/http_code").asInt()).isEqualTo(401);
	}

	@Test
	void v4OffsetPagingVisitsEveryVoicelogOnce() {
		int total = SandboxClient.json(client.v4("/voicelogs?limit=1")).at("/response/metadata/total").asInt();
		assertThat(total).isGreaterThanOrEqualTo(5000);
		List<String> sids = new ArrayList<>();
		int offset = 0;
		boolean hasNext = true;
		while (hasNext) {
			JsonNode page = SandboxClient.json(client.v4("/voicelogs?limit=100&sort_by=date:asc&offset=" + offset));
			page.at("/response/data/voicelogs").forEach((log) -> sids.add(log.get("call_sid").asString()));
			hasNext = page.at("/response/metadata/has_next").asBoolean();
			offset += 100;
			assertThat(offset).as("paging must end").isLessThan(total + 200);
		}
		assertThat(sids).hasSize(total);
		assertThat(new HashSet<>(sids)).hasSize(total);
	}

	@Test
	void v4FiltersByAgentDirectionStatusAndTime() {
		JsonNode byAgent = SandboxClient.json(client.v4("/voicelogs?limit=100&agent_id=agent_003")).at("/response/data/voicelogs");
		assertThat(byAgent.size()).isPositive();
		byAgent.forEach((log) -> assertThat(log.at("/agent/user_id").asString()).isEqualTo("agent_003"));
		JsonNode inboundMissed = SandboxClient.json(client.v4("/voicelogs?limit=100&direction=inbound&status=missed"))
			.at("/response/data/voicelogs");
		assertThat(inboundMissed.size()).isPositive();
		inboundMissed.forEach((log) -> {
			assertThat(log.get("direction").asString()).isEqualTo("inbound");
			assertThat(log.get("status").asString()).isEqualTo("missed");
		});
		JsonNode window = SandboxClient.json(client.v4("/voicelogs?limit=100&start_time=2026-11-19T00:00:00Z&end_time=2026-11-19T06:00:00Z"))
			.at("/response/data/voicelogs");
		assertThat(window.size()).isPositive();
		window.forEach((log) -> assertThat(log.get("start_time").asString()).isBetween("2026-11-19T00:00:00.000Z", "2026-11-19T06:00:00.000Z"));
	}

	@Test
	void v4RejectsWhatItDoesNotDocument() {
		for (String query : List.of("limit=101", "limit=0", "offset=-1", "sort_by=duration:asc", "direction=both", "status=ringing",
				"start_time=yesterday", "agent_id=a%26b", "limit=ten", "start_time=2026-11-19T00:00:00Z&end_time=2026-11-18T00:00:00Z")) {
			HttpResponse<String> response = client.v4("/voicelogs?" + query);
			assertThat(response.statusCode()).as(query).isEqualTo(400);
			assertThat(SandboxClient.json(response).at("/response/error_data/description").asString()).as(query).isNotBlank();
		}
		assertThat(client.v4("/voicelogs/0000").statusCode()).isEqualTo(404);
	}

	@Test
	void v4TimelineRunsFromInitiationToEnd() {
		JsonNode log = SandboxClient.json(client.v4("/voicelogs/" + SandboxTestSupport.recordedCallSid(client))).at("/response/data");
		JsonNode timeline = log.get("timeline");
		assertThat(timeline.get(0).get("event").asString()).isEqualTo("call_initiated");
		assertThat(timeline.get(timeline.size() - 1).get("event").asString()).isEqualTo("call_ended");
		assertThat(timeline.get(timeline.size() - 1).get("time").asString()).isEqualTo(log.get("end_time").asString());
		List<String> events = new ArrayList<>();
		timeline.forEach((event) -> events.add(event.get("event").asString()));
		assertThat(events).contains("call_bridged");
	}

	@Test
	void methodsOtherThanTheDocumentedOneAnswer405() {
		assertThat(client.v3Post("/calls/active", "{}").statusCode()).isEqualTo(405);
	}

	@Test
	void unknownPathsAnswer404() {
		assertThat(client.get("/v2/accounts/exogate-demo/calls", null).statusCode()).isEqualTo(404);
		assertThat(new String(client.bytes(sandbox.baseUrl() + "/nothing", null, "GET", null).body(), StandardCharsets.UTF_8))
			.contains("Not Found");
	}


}
