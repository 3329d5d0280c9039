package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RoutingTest {

	private static final String NOT_FOUND = "{\"message\":\"Not Found\"}";

	private static final SettableClock clock = new SettableClock(SandboxTestSupport.START);

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

	@BeforeEach
	void reset() {
		sandbox.reset();
	}

	@Test
	void unknownPathsAnswer404WithAJsonMessageAndCountNothing() {
		for (String path : new String[] { "/nothing", "/v1/Accounts/exogate-demo/Calls.xml",
				"/v1/Accounts/exogate-demo/Calls/abc.xml", "/v1/Accounts//Calls.json", "/v1/Accounts/exogate-demo/Calls/",
				"/v3/accounts/exogate-demo/calls/active/", "/v4/accounts/exogate-demo/voicelogs/a/b",
				"/media/exogate-demo/abc.ogg", "/exotelrecordings/exogate-demo/abc.ogg", "/exports/exogate-demo/abc.tar",
				"/__sandbox/nothing", "/__sandbox" }) {
			HttpResponse<byte[]> response = send("GET", path, null);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("content-type")).as(path).hasValue("application/json; charset=utf-8");
			assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(path).isEqualTo(NOT_FOUND);
		}
		assertThat(sandbox.stats().values()).allMatch((count) -> count == 0);
	}

	@Test
	void aKnownApiPathAskedWithAnotherMethodAnswers405InItsDialectsEnvelopeAndIsCounted() {
		HttpResponse<byte[]> v1Xml = send("DELETE", "/v1/Accounts/exogate-demo/Calls", null);
		assertThat(v1Xml.statusCode()).isEqualTo(405);
		assertThat(v1Xml.headers().firstValue("content-type")).hasValue("application/xml; charset=utf-8");
		assertThat(new String(v1Xml.body(), StandardCharsets.UTF_8)).contains("<Status>405</Status>")
			.contains("Method DELETE is not allowed here");
		HttpResponse<byte[]> v1Json = send("POST", "/v1/Accounts/exogate-demo/Calls/abc.json", null);
		assertThat(v1Json.statusCode()).isEqualTo(405);
		assertThat(json(v1Json).at("/RestException/Status").asInt()).isEqualTo(405);
		HttpResponse<byte[]> v3 = send("POST", "/v3/accounts/exogate-demo/calls/active", null);
		assertThat(v3.statusCode()).isEqualTo(405);
		assertThat(json(v3).get("method").asString()).as("the documented method").isEqualTo("GET");
		assertThat(json(v3).at("/response/error_data/description").asString()).isEqualTo("Method POST is not allowed here");
		HttpResponse<byte[]> bulk = send("GET", "/v3/accounts/exogate-demo/voice-logs/bulk", null);
		assertThat(bulk.statusCode()).isEqualTo(405);
		assertThat(json(bulk).get("method").asString()).isEqualTo("POST");
		assertThat(send("PUT", "/v4/accounts/exogate-demo/voicelogs/abc", null).statusCode()).isEqualTo(405);
		assertThat(send("HEAD", "/v1/Accounts/exogate-demo/Calls.json", null).statusCode()).isEqualTo(405);
		Map<String, Long> stats = sandbox.stats();
		assertThat(stats.get("v1.calls.list")).isEqualTo(2);
		assertThat(stats.get("v1.calls.get")).isEqualTo(1);
		assertThat(stats.get("v3.calls.active")).isEqualTo(1);
		assertThat(stats.get("v3.voice-logs.bulk")).isEqualTo(1);
		assertThat(stats.get("v4.voicelogs.get")).isEqualTo(1);
	}

	@Test
	void mediaAnswersOnlyGetAndHeadAndCountsEveryRequest() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		String url = SandboxClient.json(client.v3("/calls/" + sid + "/voice-logs")).at("/response/voice_log/recording_url").asString();
		long before = sandbox.stats().get("media");
		HttpResponse<byte[]> post = client.bytes(url, null, "POST", null);
		assertThat(post.statusCode()).isEqualTo(405);
		assertThat(post.headers().firstValue("content-type")).hasValue("application/xml; charset=utf-8");
		assertThat(new String(post.body(), StandardCharsets.UTF_8)).contains("<Code>MethodNotAllowed</Code>");
		assertThat(client.bytes(url, null, "HEAD", null).statusCode()).isEqualTo(200);
		assertThat(client.bytes(url, null, "GET", null).statusCode()).isEqualTo(200);
		assertThat(sandbox.stats().get("media")).isEqualTo(before + 3);
	}

	@Test
	void adminEndpointsAnswerOnlyTheirOwnMethod() {
		for (String[] request : new String[][] { { "POST", "stats" }, { "GET", "reset" }, { "PUT", "faults" },
				{ "HEAD", "faults" } }) {
			HttpResponse<String> response = client.admin(request[0], request[1], null);
			assertThat(response.statusCode()).as(request[0] + " " + request[1]).isEqualTo(404);
		}
		assertThat(client.admin("GET", "stats", null).statusCode()).isEqualTo(200);
		assertThat(client.admin("GET", "faults", null).statusCode()).isEqualTo(200);
	}

	@Test
	void theDecodedPathIsWhatIsRouted() {
		HttpResponse<byte[]> list = send("GET", "/v1/Accounts/exogate-demo/Calls%2Ejson?PageSize=1", basic());
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
		assertThat(send("GET", "/v1/Accounts/exogate%2Ddemo/Calls.json?PageSize=1", basic()).statusCode()).isEqualTo(200);
		assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(2);
	}

	@Test
	void aQueryValueHoldingAQuestionMarkDoesNotChangeTheRoute() {
		HttpResponse<byte[]> active = send("GET", "/v3/accounts/exogate-demo/calls/active?note=why?", basic());
		assertThat(active.statusCode()).isEqualTo(200);
		assertThat(sandbox.stats().get("v3.calls.active")).isEqualTo(1);
	}

	@Test
	void malformedEscapesAnswer500() {
		String path = raw("GET /v1/Accounts/exogate-demo/Calls%zz HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n");
		assertThat(path).startsWith("HTTP/1.1 500 ");
		String query = raw("GET /v3/accounts/exogate-demo/calls/active?a=%zz HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n");
		assertThat(query).startsWith("HTTP/1.1 500 ").contains("text/html").contains("nginx");
	}

	private static HttpResponse<byte[]> send(String method, String pathAndQuery, String authorization) {
		return client.bytes(sandbox.baseUrl() + pathAndQuery, null, method, authorization);
	}

	private static String basic() {
		return SandboxClient.basic("demo-key", "demo-token");
	}

	private static JsonNode json(HttpResponse<byte[]> response) {
		return Json.read(new String(response.body(), StandardCharsets.UTF_8));
	}

	/** Sends bytes no URI class would let through and answers everything the server wrote back. */
	private static String raw(String request) {
		URI base = URI.create(sandbox.baseUrl());
		try (Socket socket = new Socket(base.getHost(), base.getPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
