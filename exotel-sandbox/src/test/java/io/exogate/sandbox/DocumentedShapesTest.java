package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import tools.jackson.databind.JsonNode;

/** Every endpoint answers over HTTP with at least every field of Exotel's published payloads. */
class DocumentedShapesTest {

	private static final SettableClock clock = new SettableClock(SandboxTestSupport.START);

	private static Sandbox sandbox;

	private static SandboxClient client;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxTestSupport.settings(clock));
		client = new SandboxClient(sandbox);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void v1BulkCallDetailsMatchTheDocumentedJson() {
		JsonNode documented = Docs.block("v1-bulk-call-details.txt", "Metadata");
		HttpResponse<String> response = client.v1("/Calls.json?PageSize=2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).contains("json"));
		Docs.assertConforms(documented, SandboxClient.json(response));
	}

	@Test
	void v1BulkCallDetailsWithLegsMatchTheDocumentedJson() {
		JsonNode documented = Docs.jsonBlocks("v1-bulk-call-details.txt")
			.stream()
			.filter((node) -> !node.findValues("Details").isEmpty())
			.findFirst()
			.orElseThrow();
		Docs.assertConforms(documented, SandboxClient.json(client.v1("/Calls.json?PageSize=2&details=true")));
	}

	@Test
	void v1CallDetailsMatchThePublishedExample() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		HttpResponse<String> response = client.v1("/Calls/" + sid + ".json?details=true");
		assertThat(response.statusCode()).isEqualTo(200);
		Docs.assertConforms(Docs.example("v1_call_details_details_true.json"), SandboxClient.json(response));
	}

	@Test
	void v1XmlHasTheDocumentedElements() throws Exception {
		HttpResponse<String> response = client.v1("/Calls?PageSize=2&details=true");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).contains("xml"));
		Document document = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
		Element root = document.getDocumentElement();
		assertThat(root.getTagName()).isEqualTo("TwilioResponse");
		assertThat(childNames((Element) root.getElementsByTagName("Metadata").item(0)))
			.containsExactly("Total", "PageSize", "FirstPageUri", "PrevPageUri", "NextPageUri");
		assertThat(root.getElementsByTagName("Call").getLength()).isEqualTo(2);
		Element call = (Element) root.getElementsByTagName("Call").item(0);
		assertThat(childNames(call)).contains("Sid", "ParentCallSid", "DateCreated", "DateUpdated", "AccountSid", "To",
				"From", "PhoneNumberSid", "Status", "StartTime", "EndTime", "Duration", "Price", "Direction", "AnsweredBy",
				"ForwardedFrom", "CallerName", "Uri", "RecordingUrl", "Details");
		Element details = (Element) call.getElementsByTagName("Details").item(0);
		assertThat(childNames(details)).contains("ConversationDuration", "Leg1Status", "Leg2Status", "Legs");
		assertThat(details.getElementsByTagName("Leg").getLength()).isEqualTo(2);
		assertThat(childNames((Element) details.getElementsByTagName("Leg").item(0))).containsExactly("Id", "OnCallDuration");
	}

	@Test
	void v1XmlAndJsonCarryTheSameCalls() throws Exception {
		JsonNode json = SandboxClient.json(client.v1("/Calls.json?PageSize=5"));
		Document xml = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(client.v1("/Calls?PageSize=5").body().getBytes(StandardCharsets.UTF_8)));
		List<String> xmlSids = new ArrayList<>();
		for (int i = 0; i < xml.getElementsByTagName("Call").getLength(); i++) {
			xmlSids.add(((Element) xml.getElementsByTagName("Call").item(i)).getElementsByTagName("Sid").item(0).getTextContent());
		}
		List<String> jsonSids = new ArrayList<>();
		json.get("Calls").forEach((call) -> jsonSids.add(call.get("Sid").asString()));
		assertThat(xmlSids).hasSize(5).isEqualTo(jsonSids);
	}

	@Test
	void v3ActiveCallDetailsMatchThePublishedExample() {
		JsonNode active = SandboxClient.json(client.v3("/calls/active"));
		JsonNode first = active.at("/response/call_details/0");
		assertThat(first.isMissingNode()).as("the sandbox always has live calls").isFalse();
		JsonNode single = SandboxClient.json(client.v3("/calls/" + first.get("sid").asString()));
		Docs.assertConforms(Docs.example("v3_call_details_active.json"), single);
		assertThat(single.at("/response/call_details/state").asString()).isEqualTo("active");
	}

	@Test
	void v3TerminalCallDetailsMatchThePublishedExample() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		HttpResponse<String> response = client.v3("/calls/" + sid);
		assertThat(response.statusCode()).isEqualTo(200);
		Docs.assertConforms(Docs.example("v3_call_details_terminal.json"), SandboxClient.json(response));
	}

	@Test
	void v3VoiceLogMatchesTheDocumentedResponse() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		JsonNode documented = Docs.block("v3-voice-log-download.txt", "voice_log");
		Docs.assertConforms(documented, SandboxClient.json(client.v3("/calls/" + sid + "/voice-logs?format=mp3")));
	}

	@Test
	void v3BulkVoiceLogsMatchTheDocumentedResponse() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		JsonNode documented = Docs.block("v3-voice-log-download.txt", "voice_logs");
		HttpResponse<String> response = client.v3Post("/voice-logs/bulk",
				"{\"call_sids\":[\"" + sid + "\",\"unknown\"],\"format\":\"mp3\",\"channel\":\"single\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		Docs.assertConforms(documented, SandboxClient.json(response));
	}

	@Test
	void v3ExportMatchesTheDocumentedResponse() {
		JsonNode documented = Docs.block("v3-voice-log-download.txt", "export_id");
		HttpResponse<String> response = client.v3Post("/voice-logs/export",
				"{\"start_date\":\"2026-11-19T00:00:00Z\",\"end_date\":\"2026-11-19T23:59:59Z\",\"format\":\"mp3\","
						+ "\"callback_url\":\"http://127.0.0.1:9/export-ready\"}");
		assertThat(response.statusCode()).isEqualTo(202);
		Docs.assertConforms(documented, SandboxClient.json(response));
	}

	@Test
	void v4VoicelogsMatchTheDocumentedResponse() {
		JsonNode documented = Docs.block("v4-contact-center-voicelogs.txt", "voicelogs");
		JsonNode actual = SandboxClient.json(client.v4("/voicelogs?limit=50&status=completed"));
		JsonNode envelope = documented.deepCopy();
		((tools.jackson.databind.node.ObjectNode) envelope.at("/response/data")).putArray("voicelogs");
		Docs.assertConforms(envelope, actual);
		JsonNode recorded = null;
		for (JsonNode log : actual.at("/response/data/voicelogs")) {
			if (log.at("/recording/available").asBoolean()) {
				recorded = log;
				break;
			}
		}
		Docs.assertConforms(documented.at("/response/data/voicelogs/0"), recorded);
		// the documented second entry is a missed call with no agent and no recording
		JsonNode missed = SandboxClient.json(client.v4("/voicelogs?limit=1&status=missed&direction=inbound"));
		Docs.assertConforms(documented.at("/response/data/voicelogs/1"), missed.at("/response/data/voicelogs/0"));
	}

	@Test
	void v4SingleVoicelogMatchesTheDocumentedResponse() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		JsonNode documented = Docs.jsonBlocks("v4-contact-center-voicelogs.txt")
			.stream()
			.filter((node) -> !node.findValues("timeline").isEmpty())
			.findFirst()
			.orElseThrow();
		Docs.assertConforms(documented, SandboxClient.json(client.v4("/voicelogs/" + sid)));
	}

	@Test
	void rateLimitedAnswerMatchesThePublishedExample() {
		try (Sandbox limited = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().callsPerAccount(10)
			.rateLimitPerMinute(1)
			.build())) {
			SandboxClient limitedClient = new SandboxClient(limited);
			assertThat(limitedClient.v1("/Calls.json").statusCode()).isEqualTo(200);
			HttpResponse<String> response = limitedClient.v1("/Calls.json");
			assertThat(response.statusCode()).isEqualTo(429);
			Docs.assertConforms(Docs.example("error_429_rate_limited.json"), SandboxClient.json(response));
		}
	}

	@Test
	void theShapeCheckFailsOnAMissingField() {
		JsonNode documented = Json.read("{\"a\":{\"b\":1,\"c\":[{\"d\":\"x\"}]}}");
		org.assertj.core.api.Assertions.assertThatThrownBy(
				() -> Docs.assertConforms(documented, Json.read("{\"a\":{\"b\":1,\"c\":[{\"e\":\"x\"}]}}")))
			.isInstanceOf(AssertionError.class)
			.hasMessageContaining("$.a.c[0].d");
	}

	private static List<String> childNames(Element element) {
		List<String> names = new ArrayList<>();
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child) {
				names.add(child.getTagName());
			}
		}
		return names;
	}

}
