package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A headless Chromium (the Debian package {@code chromium}) driven over the DevTools protocol, for the
 * tests that need a real browser: no host but 127.0.0.1 resolves, and every DevTools event of each
 * {@link Tab} is kept for the test to read (requests, WebSocket frames, console messages).
 */
final class Chromium implements AutoCloseable {

	/** The Debian package that installs the browser. */
	static final String PACKAGE = "chromium";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final Path profile;

	private final WebSocket socket;

	private final AtomicInteger ids = new AtomicInteger();

	private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private Chromium(Process process, Path profile, WebSocket socket) {
		this.process = process;
		this.profile = profile;
		this.socket = socket;
	}

	/** {@code /usr/bin/chromium}, or {@code chromium} on the {@code PATH}. */
	static Optional<Path> binary() {
		Path debian = Path.of("/usr/bin/chromium");
		if (Files.isExecutable(debian)) {
			return Optional.of(debian);
		}
		return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((directory) -> !directory.isBlank())
			.map((directory) -> Path.of(directory, "chromium"))
			.filter(Files::isExecutable)
			.findFirst();
	}

	/**
	 * The browser's binary. Without one the calling tests are skipped, naming the package to install;
	 * under CI (the environment variable {@code CI} set) they fail instead.
	 */
	static Path require() {
		Optional<Path> binary = binary();
		if (binary.isEmpty()) {
			String message = "Chromium is not installed (no /usr/bin/chromium and no chromium on the PATH):"
					+ " install the Debian package " + PACKAGE + " (apt-get install " + PACKAGE + ")";
			if (System.getenv("CI") != null) {
				fail(message + "; CI is set, so the browser tests fail rather than skip");
			}
			Assumptions.abort(message);
		}
		return binary.get();
	}

	/** Starts the browser with a fresh profile; its output goes to {@code log}. */
	static Chromium launch(Path binary, Path log) {
		try {
			Files.createDirectories(log.getParent());
			Path profile = Files.createTempDirectory("exogate-chromium");
			List<String> command = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
					"--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--no-proxy-server",
					// Nothing but this machine's loopback address resolves: no request can leave for another host.
					"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
					"--autoplay-policy=no-user-gesture-required", "--mute-audio", "--window-size=1280,900",
					"--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
				.start();
			Path activePort = profile.resolve("DevToolsActivePort");
			await("Chromium's DevTools port (log: " + log + ")").atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(100))
				.failFast("Chromium exited", () -> !process.isAlive())
				.until(() -> Files.isRegularFile(activePort) && Files.readAllLines(activePort).size() >= 2);
			List<String> lines = Files.readAllLines(activePort);
			URI endpoint = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
			Chromium[] browser = new Chromium[1];
			WebSocket socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(30))
				.buildAsync(endpoint, new Listener((message) -> browser[0].receive(message)))
				.get(60, TimeUnit.SECONDS);
			browser[0] = new Chromium(process, profile, socket);
			return browser[0];
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not connect to Chromium's DevTools", ex);
		}
	}

	/**
	 * Opens a new tab in a context of its own (no storage, cache or cookies shared with other tabs), its
	 * Page, Network, Runtime and Log events recorded from the start.
	 */
	Tab open() {
		String context = command(null, "Target.createBrowserContext", Map.of()).path("browserContextId").asString();
		String target = command(null, "Target.createTarget", Map.of("url", "about:blank", "browserContextId", context))
			.path("targetId")
			.asString();
		String session = command(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId")
			.asString();
		Tab tab = new Tab(context, target, session);
		for (String domain : List.of("Page", "Network", "Runtime", "Log")) {
			tab.send(domain + ".enable", Map.of());
		}
		// Violations of the page's Content-Security-Policy, as the page itself sees them.
		tab.send("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "window.__cspViolations = [];"
				+ " document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push("
				+ "e.violatedDirective + ' ' + e.blockedURI));"));
		return tab;
	}

	private JsonNode command(String session, String method, Map<String, ?> params) {
		int id = this.ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("id", id);
		message.put("method", method);
		message.put("params", params);
		if (session != null) {
			message.put("sessionId", session);
		}
		try {
			this.socket.sendText(JSON.writeValueAsString(message), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			JsonNode reply = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			if (reply.has("error")) {
				throw new IllegalStateException(method + " failed: " + reply.path("error"));
			}
			return reply.path("result");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException(method + " got no answer from Chromium", ex);
		}
		finally {
			this.pending.remove(id);
		}
	}

	private void receive(String text) {
		JsonNode message = JSON.readTree(text);
		if (message.has("id")) {
			CompletableFuture<JsonNode> answer = this.pending.get(message.path("id").asInt());
			if (answer != null) {
				answer.complete(message);
			}
		}
		else if (message.has("method")) {
			this.events.add(new Event(message.path("sessionId").asString(""), message.path("method").asString(),
					message.path("params")));
		}
	}

	@Override
	public void close() {
		try {
			command(null, "Browser.close", Map.of());
		}
		catch (RuntimeException ex) {
			// Already gone: destroyed below either way.
		}
		this.socket.abort();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// A temporary directory; best effort.
		}
	}

	/** One DevTools event: its session (empty for the browser's own), method and parameters. */
	record Event(String session, String method, JsonNode params) {
	}

	/** One tab, attached in its own DevTools session. */
	final class Tab {

		private final String context;

		private final String target;

		private final String session;

		private Tab(String context, String target, String session) {
			this.context = context;
			this.target = target;
			this.session = session;
		}

		JsonNode send(String method, Map<String, ?> params) {
			return command(this.session, method, params);
		}

		/** This tab's events so far, in the order they came. */
		List<Event> events() {
			return Chromium.this.events.stream().filter((event) -> event.session().equals(this.session)).toList();
		}

		/** The parameters of this tab's events with this method. */
		List<JsonNode> events(String method) {
			return events().stream().filter((event) -> event.method().equals(method)).map(Event::params).toList();
		}

		/** Goes to the URL and waits for its load event. */
		void navigate(String url) {
			int loads = events("Page.loadEventFired").size();
			JsonNode result = send("Page.navigate", Map.of("url", url));
			if (result.hasNonNull("errorText")) {
				throw new IllegalStateException("Chromium could not open " + url + ": " + result.path("errorText").asString());
			}
			await("the load of " + url).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> events("Page.loadEventFired").size() > loads);
		}

		/** The value of a JavaScript expression in the page (a promise is awaited). */
		JsonNode evaluate(String expression) {
			JsonNode result = send("Runtime.evaluate",
					Map.of("expression", expression, "returnByValue", true, "awaitPromise", true, "userGesture", true));
			if (result.has("exceptionDetails")) {
				throw new IllegalStateException("In the page, " + expression + " threw " + result.path("exceptionDetails"));
			}
			return result.path("result").path("value");
		}

		/**
		 * Polls the expression until its value passes the test, for at most {@code within}; returns that value.
		 */
		JsonNode until(String description, Duration within, String expression, Predicate<JsonNode> test) {
			JsonNode[] last = new JsonNode[1];
			await(description).atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
				last[0] = evaluate(expression);
				return test.test(last[0]);
			});
			return last[0];
		}

		/**
		 * A real mouse click (pointer and mouse events, as a user's) in the middle of the element a JavaScript
		 * expression names.
		 */
		void click(String element) {
			JsonNode box = evaluate("(() => { const r = (" + element
					+ ").getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()");
			double x = box.path("x").asDouble();
			double y = box.path("y").asDouble();
			send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
			send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
			send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
		}

		/** Saves a PNG of what the tab shows. */
		Path screenshot(Path file) {
			byte[] png = Base64.getDecoder().decode(send("Page.captureScreenshot", Map.of("format", "png")).path("data").asString());
			try {
				Files.createDirectories(file.getParent());
				Files.write(file, png);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return file;
		}

		/** Every URL the tab asked for (HTTP requests and WebSocket handshakes), {@code data:} URLs left out. */
		List<String> requestedUrls() {
			List<String> urls = new ArrayList<>();
			events("Network.requestWillBeSent").forEach((params) -> urls.add(params.path("request").path("url").asString()));
			events("Network.webSocketCreated").forEach((params) -> urls.add(params.path("url").asString()));
			return urls.stream().filter((url) -> !url.startsWith("data:")).toList();
		}

		/** Console errors, uncaught exceptions and errors the browser logged (CSP violations, failed loads). */
		List<String> errors() {
			List<String> errors = new ArrayList<>();
			events("Runtime.exceptionThrown").forEach((params) -> errors.add("exception: " + params.path("exceptionDetails")));
			events("Runtime.consoleAPICalled").stream()
				.filter((params) -> List.of("error", "assert").contains(params.path("type").asString()))
				.forEach((params) -> errors.add("console." + params.path("type").asString() + ": " + params.path("args")));
			events("Log.entryAdded").stream()
				.filter((params) -> params.path("entry").path("level").asString().equals("error"))
				.forEach((params) -> errors.add("log: " + params.path("entry").path("text").asString() + " "
						+ params.path("entry").path("url").asString("")));
			return errors;
		}

		/** What the page's {@code securitypolicyviolation} listener saw. */
		List<String> cspViolations() {
			List<String> violations = new ArrayList<>();
			evaluate("window.__cspViolations || []").values().forEach((violation) -> violations.add(violation.asString()));
			return violations;
		}

		void close() {
			command(null, "Target.closeTarget", Map.of("targetId", this.target));
			command(null, "Target.disposeBrowserContext", Map.of("browserContextId", this.context));
		}

	}

	/** Collects each DevTools message, which may come in several parts. */
	private static final class Listener implements WebSocket.Listener {

		private final java.util.function.Consumer<String> messages;

		private final StringBuilder partial = new StringBuilder();

		Listener(java.util.function.Consumer<String> messages) {
			this.messages = messages;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String message = this.partial.toString();
				this.partial.setLength(0);
				this.messages.accept(message);
			}
			socket.request(1);
			return null;
		}

	}

}
