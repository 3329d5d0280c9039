package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.exogate.gateway.ExogateApplication;
import io.exogate.gateway.security.Audit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real browser against the running gateway in demo mode: headless Chromium, where no host but
 * 127.0.0.1 resolves, loads GraphiQL from the gateway alone, runs an example query with the demo key
 * and shows its result, opens an {@code activeCalls} subscription over graphql-ws with the key in {@code connection_init},
 * and an {@code <audio>} element plays a recording's {@code playbackUrl} and seeks, through the range
 * requests the gateway serves. Skipped without Chromium, naming its Debian package; failed instead
 * when {@code CI} is set. Screenshots land in {@code gateway/target/browser/}.
 */
class BrowserEndToEndTest {

	static final String DEMO_KEY = "exogate-demo-key";

	static final Path OUTPUT = Path.of("target", "browser");

	static final HttpClient http = LoadSupport.http();

	static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

	static Chromium browser;

	static ConfigurableApplicationContext gateway;

	static String origin;

	Chromium.Tab tab;

	@BeforeAll
	static void start() {
		Optional<Path> binary = Chromium.binary();
		if (binary.isEmpty()) {
			// Each test is skipped (or, under CI, failed) by requireChromium.
			return;
		}
		// Nothing configured: demo mode, the sandbox in process and the documented key.
		gateway = new SpringApplicationBuilder(ExogateApplication.class).run("--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off");
		origin = "http://127.0.0.1:" + LoadSupport.port(gateway);
		audit.start();
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(audit);
		browser = Chromium.launch(binary.get(), OUTPUT.resolve("chromium.log"));
	}

	@BeforeEach
	void requireChromium() {
		Chromium.require();
	}

	@AfterAll
	static void stop() {
		((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(audit);
		if (browser != null) {
			browser.close();
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	@AfterEach
	void closeTab() {
		if (this.tab != null) {
			this.tab.close();
		}
	}

	@Test
	void graphiqlLoadsFromTheGatewayAloneAndRunsAnExampleQueryWithTheDemoKey() throws Exception {
		this.tab = browser.open();
		this.tab.navigate(origin + "/graphiql");
		JsonNode editors = this.tab.until("GraphiQL's editors with the examples and the demo key", Duration.ofSeconds(60),
				"(() => { const query = document.querySelector('.graphiql-query-editor .CodeMirror');"
						+ " const headers = [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')].map((e) => e.CodeMirror.getValue());"
						+ " return query ? { query: query.CodeMirror.getValue(), headers } : null; })()",
				(value) -> !value.isNull());
		assertThat(editors.path("query").asString()).contains("query RecentCalls").contains("query Accounts").contains("mutation ExportYesterday");
		assertThat(editors.path("headers").values()).anySatisfy((headers) -> assertThat(headers.asString()).contains("\"X-API-Key\": \"" + DEMO_KEY + "\""));

		// Several operations: once GraphiQL has read them, the run button opens a menu of them, as a user sees it.
		String menuButton = "document.querySelector('.graphiql-execute-button[aria-haspopup=menu]')";
		this.tab.until("the run button with its menu of operations", Duration.ofSeconds(60), "!!" + menuButton, JsonNode::asBoolean);
		this.tab.click(menuButton);
		String recentCalls = "[...document.querySelectorAll('[role=menuitem]')].find((item) => item.textContent === 'RecentCalls')";
		this.tab.until("the menu of operations", Duration.ofSeconds(20), "!!(" + recentCalls + ")", JsonNode::asBoolean);
		this.tab.click(recentCalls);
		String shown = this.tab.until("the result of RecentCalls", Duration.ofSeconds(60),
				"(() => { const result = document.querySelector('.result-window .CodeMirror'); return result ? result.CodeMirror.getValue() : ''; })()",
				(value) -> value.asString().contains("\"data\"")).asString();
		Path screenshot = this.tab.screenshot(OUTPUT.resolve("graphiql.png"));
		assertThat(Files.size(screenshot)).isGreaterThan(10_000);

		JsonNode result = LoadSupport.JSON.readTree(shown);
		assertThat(result.path("errors").isMissingNode()).as(shown).isTrue();
		List<JsonNode> edges = List.copyOf(result.path("data").path("calls").path("edges").values());
		assertThat(edges).hasSize(10);
		assertThat(result.path("data").path("calls").path("totalCount").asInt()).isGreaterThan(10);
		// The calls shown are the sandbox's: the gateway answers for the first one's SID with the same call.
		JsonNode first = edges.get(0).path("node");
		JsonNode call = graphQl("{ call(sid: \"" + first.path("sid").asString() + "\") { sid status from } }").path("data").path("call");
		assertThat(call.path("sid").asString()).isEqualTo(first.path("sid").asString());
		assertThat(call.path("status").asString()).isEqualTo(first.path("status").asString());
		assertThat(call.path("from").asString()).isEqualTo(first.path("from").asString());
		// What the DOM shows is in the response pane itself, not only in the editor's model.
		String pane = this.tab.evaluate("document.querySelector('.result-window').innerText").asString();
		assertThat(pane).contains("\"data\"").contains(first.path("sid").asString());

		List<JsonNode> posts = this.tab.events("Network.requestWillBeSent")
			.stream()
			.filter((request) -> request.path("request").path("method").asString().equals("POST"))
			.toList();
		assertThat(posts).as("the introspection query and RecentCalls").hasSizeGreaterThanOrEqualTo(2);
		assertThat(posts).allSatisfy((request) -> {
			assertThat(request.path("request").path("url").asString()).isEqualTo(origin + "/graphql");
			assertThat(header(request.path("request").path("headers"), "X-API-Key")).hasValue(DEMO_KEY);
		});
		assertThat(posts).anySatisfy((request) -> assertThat(request.path("request").path("postData").asString()).contains("RecentCalls"));
		assertOnlyTheGateway(this.tab, List.of(origin));
		assertThat(this.tab.requestedUrls()).anySatisfy((url) -> assertThat(url).matches(Pattern.quote(origin) + "/graphiql/assets/graphiql-[A-Z0-9]{8}\\.js"));
	}

	@Test
	void aSubscriptionGoesOverGraphqlWsWithTheKeyInConnectionInit() {
		this.tab = browser.open();
		this.tab.navigate(origin + "/graphiql");
		this.tab.until("GraphiQL's query editor", Duration.ofSeconds(60), "!!document.querySelector('.graphiql-query-editor .CodeMirror')",
				JsonNode::asBoolean);
		this.tab.evaluate("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('subscription Probe { activeCalls { sid status } }')");
		// GraphiQL has read the new document once it names the tab after its operation.
		this.tab.until("the tab named after the subscription", Duration.ofSeconds(20),
				"document.querySelector('.graphiql-tab-active').textContent.trim()", (title) -> title.asString().equals("Probe"));
		this.tab.click("document.querySelector('.graphiql-execute-button')");
		String shown = this.tab.until("the subscription's answer", Duration.ofSeconds(60),
				"(() => { const result = document.querySelector('.result-window .CodeMirror'); return result ? result.CodeMirror.getValue() : ''; })()",
				(value) -> !value.asString().isBlank()).asString();
		this.tab.screenshot(OUTPUT.resolve("graphiql-subscription.png"));

		String subscriptionPath = gateway.getEnvironment().getRequiredProperty("spring.graphql.websocket.path");
		List<JsonNode> sockets = this.tab.events("Network.webSocketCreated");
		assertThat(sockets).extracting((socket) -> socket.path("url").asString())
			.containsOnly("ws://127.0.0.1:" + LoadSupport.port(gateway) + subscriptionPath);
		List<JsonNode> sent = frames("Network.webSocketFrameSent");
		List<JsonNode> received = frames("Network.webSocketFrameReceived");
		assertThat(sent).as("frames sent").isNotEmpty();
		assertThat(sent.get(0).path("type").asString()).isEqualTo("connection_init");
		assertThat(sent.get(0).path("payload").path("X-API-Key").asString()).isEqualTo(DEMO_KEY);
		assertThat(received).as("frames received").anySatisfy((frame) -> assertThat(frame.path("type").asString()).isEqualTo("connection_ack"));
		assertThat(sent).anySatisfy((frame) -> {
			assertThat(frame.path("type").asString()).isEqualTo("subscribe");
			assertThat(frame.path("payload").path("query").asString()).contains("subscription Probe");
		});
		// activeCalls answers the account's live list at once: it comes back over the socket and is shown.
		assertThat(received).anySatisfy((frame) -> {
			assertThat(frame.path("type").asString()).isEqualTo("next");
			assertThat(frame.path("payload").path("data").has("activeCalls")).isTrue();
		});
		assertThat(shown).contains("\"activeCalls\"").doesNotContain("\"errors\"");
		assertOnlyTheGateway(this.tab, List.of(origin, "ws://127.0.0.1:" + LoadSupport.port(gateway)));
	}

	@Test
	void anAudioElementPlaysPlaybackUrlAndSeeksThroughRangeRequestsTheGatewayServes() throws Exception {
		JsonNode recording = longRecording();
		String playbackUrl = recording.path("playbackUrl").asString();
		long size = recording.path("sizeBytes").asLong();
		HttpServer player = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] page = ("<!doctype html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>player</title></head>"
				+ "<body><audio id=\"player\" controls muted preload=\"metadata\" src=\"" + playbackUrl + "\"></audio></body></html>")
			.getBytes(StandardCharsets.UTF_8);
		player.createContext("/player.html", (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, page.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(page);
			}
		});
		player.start();
		try {
			String playerOrigin = "http://127.0.0.1:" + player.getAddress().getPort();
			int before = audit.list.size();
			this.tab = browser.open();
			this.tab.navigate(playerOrigin + "/player.html");
			this.tab.evaluate("document.getElementById('player').play()");
			double duration = this.tab.until("the audio playing", Duration.ofSeconds(60),
					"(() => { const a = document.getElementById('player'); return a.currentTime > 0.2 && !a.paused ? a.duration : 0; })()",
					(value) -> value.asDouble() > 0)
				.asDouble();
			assertThat(duration).isCloseTo(recording.path("durationSeconds").asDouble(), offset(2.0));

			double target = Math.floor(duration * 0.85);
			this.tab.evaluate("document.getElementById('player').currentTime = " + target);
			this.tab.until("the audio playing on after the seek", Duration.ofSeconds(60),
					"(() => { const a = document.getElementById('player'); return !a.seeking && !a.paused && a.currentTime > " + (target + 0.2)
							+ " && a.readyState >= 3; })()",
					JsonNode::asBoolean);
			this.tab.screenshot(OUTPUT.resolve("playback.png"));

			// 8 kHz, 16-bit, two channels after a 44-byte header: where the seek lands in the file.
			long seekByte = 44 + (long) target * 8000 * 2 * 2;
			List<Exchange> ranges = exchanges(this.tab, playbackUrl);
			assertThat(ranges).as("the media requests").hasSizeGreaterThanOrEqualTo(2);
			Exchange initial = ranges.get(0);
			assertThat(initial.range()).isEqualTo("bytes=0-");
			assertThat(initial.status()).isEqualTo(206);
			assertThat(initial.contentRange()).isEqualTo("bytes 0-" + (size - 1) + "/" + size);
			Exchange seek = ranges.stream()
				.filter((exchange) -> exchange.from() > 0)
				.reduce((first, second) -> second)
				.orElseThrow(() -> new AssertionError("no range request after the seek: " + ranges));
			assertThat(seek.status()).isEqualTo(206);
			assertThat(seek.from()).as("%s starts where the seek to %ss lands (byte %s)", seek, target, seekByte)
				.isBetween(seekByte - 256 * 1024, seekByte);
			assertThat(seek.contentRange()).isEqualTo("bytes " + seek.from() + "-" + (size - 1) + "/" + size);

			// The gateway's own account of what it served.
			List<String> played = audit.list.subList(before, audit.list.size())
				.stream()
				.map(ILoggingEvent::getFormattedMessage)
				.filter((event) -> event.contains("\"recording.played\""))
				.toList();
			assertThat(played).anySatisfy((event) -> assertThat(event).contains("\"range\":\"bytes=0-\"").contains("\"result\":\"206\""));
			assertThat(played).anySatisfy((event) -> assertThat(event).contains("\"range\":\"" + seek.range() + "\"")
				.contains("\"result\":\"206\""));
			assertOnlyTheGateway(this.tab, List.of(playerOrigin, origin));
		}
		finally {
			player.stop(0);
		}
	}

	/** One media request as the browser saw it: its Range header, status and Content-Range. */
	record Exchange(String range, int status, String contentRange) {

		private static final Pattern FROM = Pattern.compile("bytes=(\\d+)-");

		long from() {
			Matcher matcher = FROM.matcher(this.range);
			return matcher.lookingAt() ? Long.parseLong(matcher.group(1)) : -1;
		}

	}

	/** The tab's requests for the URL, in order, each with its response (requests with none are left out). */
	private static List<Exchange> exchanges(Chromium.Tab tab, String url) {
		Map<String, String> ranges = new HashMap<>();
		List<String> order = new ArrayList<>();
		for (JsonNode request : tab.events("Network.requestWillBeSent")) {
			if (request.path("request").path("url").asString().equals(url)) {
				order.add(request.path("requestId").asString());
				header(request.path("request").path("headers"), "Range").ifPresent((range) -> ranges.put(request.path("requestId").asString(), range));
			}
		}
		for (JsonNode extra : tab.events("Network.requestWillBeSentExtraInfo")) {
			header(extra.path("headers"), "Range").ifPresent((range) -> ranges.putIfAbsent(extra.path("requestId").asString(), range));
		}
		Map<String, JsonNode> responses = new HashMap<>();
		tab.events("Network.responseReceived").forEach((response) -> responses.put(response.path("requestId").asString(), response.path("response")));
		List<Exchange> exchanges = new ArrayList<>();
		for (String id : order) {
			JsonNode response = responses.get(id);
			if (response != null) {
				exchanges.add(new Exchange(ranges.getOrDefault(id, ""), response.path("status").asInt(),
						header(response.path("headers"), "Content-Range").orElse("")));
			}
		}
		return exchanges;
	}

	/** Every URL the tab asked for is on one of these origins; nothing was blocked by the page's policy or failed. */
	private static void assertOnlyTheGateway(Chromium.Tab tab, List<String> origins) {
		assertThat(tab.requestedUrls()).isNotEmpty()
			.allSatisfy((url) -> assertThat(origins).as("the origin of %s", url).anySatisfy((origin) -> assertThat(url).startsWith(origin + "/")));
		assertThat(tab.cspViolations()).as("Content-Security-Policy violations").isEmpty();
		assertThat(tab.errors()).as("console errors").isEmpty();
	}

	/** The JSON of each WebSocket frame the tab sent or received. */
	private List<JsonNode> frames(String event) {
		return this.tab.events(event).stream().map((frame) -> LoadSupport.JSON.readTree(frame.path("response").path("payloadData").asString())).toList();
	}

	private static Optional<String> header(JsonNode headers, String name) {
		for (Map.Entry<String, JsonNode> header : headers.properties()) {
			if (header.getKey().equalsIgnoreCase(name)) {
				return Optional.of(header.getValue().asString());
			}
		}
		return Optional.empty();
	}

	/** The longest available dual-channel WAV recording among recent long calls (several megabytes), with its size. */
	private static JsonNode longRecording() throws Exception {
		JsonNode calls = graphQl("{ calls(first: 30, filter: { hasRecording: true, minDurationSeconds: 240 }) { edges { node { sid"
				+ " recording(format: WAV, channel: DUAL) { status playbackUrl durationSeconds } } } } }");
		ObjectNode longest = null;
		for (JsonNode edge : calls.path("data").path("calls").path("edges").values()) {
			JsonNode recording = edge.path("node").path("recording");
			if ("AVAILABLE".equals(recording.path("status").asString())
					&& (longest == null || recording.path("durationSeconds").asInt() > longest.path("durationSeconds").asInt())) {
				longest = (ObjectNode) recording;
			}
		}
		assertThat(longest).as("an available recording among %s", calls).isNotNull();
		String playbackUrl = longest.path("playbackUrl").asString();
		assertThat(playbackUrl).startsWith(origin + "/playback/");
		HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(playbackUrl))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(head.statusCode()).isEqualTo(200);
		long size = head.headers().firstValueAsLong("Content-Length").orElseThrow();
		assertThat(size).as("8 kHz, 16-bit, two channels after a 44-byte header").isEqualTo(44 + longest.path("durationSeconds").asLong() * 8000 * 2 * 2);
		assertThat(size).as("a recording of several megabytes").isGreaterThan(6_000_000);
		return longest.put("sizeBytes", size);
	}

	private static JsonNode graphQl(String query) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(origin + "/graphql"))
			.header("Content-Type", "application/json")
			.header("X-API-Key", DEMO_KEY)
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(LoadSupport.body(query)))
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = LoadSupport.JSON.readTree(response.body());
		assertThat(body.path("errors").isMissingNode()).as(response.body()).isTrue();
		return body;
	}

}
