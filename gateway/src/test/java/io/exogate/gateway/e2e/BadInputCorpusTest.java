package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.lettuce.core.RedisClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends every case of {@code bad-input/} to the gateway over real HTTP: each is refused with its status and
 * code as a GraphQL error body (but for the few marked as answered otherwise), none is a 5xx, none reaches
 * Exotel, and none logs a warning, an error or a stack trace. Its tenant allows no private callbacks, so
 * that the callback cases meet that check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "logging.level.io.exogate.gateway.http=DEBUG")
class BadInputCorpusTest {

	/** Its exports are never announced: the allowed callback's host does not exist, and a failed announcement is a WARN. */
	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().exportDelay(Duration.ofHours(1)).build());

	/** The one callback prefix of the cases' tenant that reaches a public host (it does not exist; see the control). */
	static final String ALLOWED_CALLBACK = "https://hooks.test.example/";

	private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** A qualified Java name such as {@code tools.jackson.core} or {@code org.springframework.web}. */
	private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|jakarta|org|com|io|tools|graphql|reactor)\\.[a-z]+\\.");

	/**
	 * The tests' tenant, but with private callbacks refused; its allow-list also names private hosts, as an operator
	 * might by mistake, so that the callback cases show the private-address check refusing what the allow-list lets through.
	 */
	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		List<String> callbacks = List.of(ALLOWED_CALLBACK, "http://localhost/", "http://169.254.169.254/", "http://[::1]/",
				"http://127.0.0.1:9/");
		for (int i = 0; i < callbacks.size(); i++) {
			String callback = callbacks.get(i);
			registry.add("exogate.security.tenants[0].export-callbacks[" + i + "]", () -> callback);
		}
		registry.add("exogate.security.tenants[0].allow-private-callbacks", () -> "false");
	}

	@LocalServerPort
	int port;

	@Autowired
	ObjectProvider<RedisClient> redis;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@TestFactory
	Stream<DynamicNode> everyCaseIsRefusedAsAGraphQlError() throws IOException {
		List<DynamicNode> nodes = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (Resource file : corpusFiles()) {
			List<BadInputCase> cases = read(file);
			cases.forEach((badInput) -> assertThat(names.add(badInput.name())).as("case names are unique: %s", badInput.name()).isTrue());
			nodes.add(dynamicContainer(file.getFilename(),
					cases.stream().map((badInput) -> dynamicTest(badInput.name(), () -> send(badInput)))));
		}
		assertThat(names).as("cases in bad-input/").hasSizeGreaterThanOrEqualTo(20);
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		root.addAppender(log);
		sandbox.reset();
		nodes.add(dynamicTest("nothing reached Exotel", () -> assertThat(sandbox.stats()).allSatisfy((what, count) -> assertThat(count).as(what).isZero())));
		nodes.add(dynamicTest("nothing logged above INFO and no stack trace", () -> {
			root.detachAppender(log);
			log.stop();
			List<ILoggingEvent> events;
			synchronized (log) {
				events = new ArrayList<>(log.list);
			}
			// This gateway caches in process; Redis client lines come from other test classes' cached contexts.
			assertThat(this.redis.getIfAvailable()).isNull();
			assertThat(events).filteredOn((event) -> !event.getLoggerName().startsWith("io.lettuce."))
				.filteredOn((event) -> event.getLevel().isGreaterOrEqual(Level.WARN) || event.getThrowableProxy() != null)
				.extracting((event) -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
				.isEmpty();
			assertThat(events).as("refusals are logged at DEBUG")
				.anySatisfy((event) -> assertThat(event.getFormattedMessage()).startsWith("Refused"));
		}));
		return nodes.stream();
	}

	/**
	 * The control of the callback cases: a callback under the allowed prefix is accepted and its export
	 * reaches the sandbox, so that their refusals come from what they aim at, not from a tenant that
	 * accepts nothing.
	 */
	@Test
	void aCallbackUnderTheAllowedPrefixIsAccepted() throws IOException, InterruptedException {
		long before = sandbox.stats().get("v3.voice-logs.export");
		Instant now = Instant.now();
		String body = JSON.writeValueAsString(Map.of("query", "mutation($input: RecordingExportInput!) {"
				+ " requestRecordingExport(input: $input) { export { id callbackUrl } } }", "variables", Map.of("input",
						Map.of("from", now.minus(Duration.ofDays(1)).toString(), "to", now.toString(), "callbackUrl",
								ALLOWED_CALLBACK + "x"))));
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/graphql"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header(E2eSupport.KEY_HEADER, E2eSupport.KEY)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode answer = JSON.readTree(response.body());
		assertThat(answer.has("errors")).as(response.body()).isFalse();
		assertThat(answer.path("data").path("requestRecordingExport").path("export").path("id").asString()).startsWith("export_");
		assertThat(answer.path("data").path("requestRecordingExport").path("export").path("callbackUrl").asString())
			.isEqualTo(ALLOWED_CALLBACK + "x");
		assertThat(sandbox.stats().get("v3.voice-logs.export")).isEqualTo(before + 1);
	}

	private void send(BadInputCase badInput) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + badInput.path()))
			.timeout(Duration.ofSeconds(60))
			.method(badInput.method(), badInput.publisher());
		if (badInput.contentType() != null) {
			request.header("Content-Type", badInput.contentType());
		}
		badInput.headers().forEach(request::header);
		if (badInput.largeHeader() != null) {
			request.header(badInput.largeHeader().name(), badInput.largeHeader().value());
		}
		if (!badInput.anonymous() && !badInput.bringsCredentials()) {
			request.header(E2eSupport.KEY_HEADER, E2eSupport.KEY);
		}
		HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		String text = new String(response.body(), StandardCharsets.UTF_8);
		String about = badInput.name() + " → " + response.statusCode() + " " + ((text.length() > 500) ? text.substring(0, 500) + "…" : text);
		assertThat(response.statusCode()).as("never a 5xx: %s", about).isLessThan(500);
		assertThat(response.statusCode()).as("status: %s", about).isEqualTo(badInput.expectStatus().intValue());
		badInput.expectHeaders().forEach((name, value) -> assertThat(response.headers().firstValue(name)).as("%s: %s", name, about).hasValue(value));
		if (badInput.expectCode().equals(BadInputCase.NO_GRAPHQL_BODY)) {
			assertThat(text).as("no GraphQL error body: %s", about).doesNotContain("\"errors\"");
			return;
		}
		assertThat(response.headers().firstValue("Content-Type")).as("content type: %s", about).hasValueSatisfying((type) -> assertThat(type)
			.startsWith(badInput.acceptsGraphQlResponse() ? "application/graphql-response+json" : "application/json"));
		JsonNode body = JSON.readTree(response.body());
		assertThat(!body.has("data") || body.get("data").isNull() || body.get("data").valueStream().allMatch(JsonNode::isNull))
			.as("no data in a refusal (at most its root fields, null): %s", about).isTrue();
		assertThat(body.path("errors").path(0).path("extensions").path("code").asString()).as("code: %s", about)
			.isEqualTo(badInput.expectCode());
		String message = body.path("errors").path(0).path("message").asString();
		assertThat(message).as("message: %s", about).isNotBlank().hasSizeLessThanOrEqualTo(400);
		if (badInput.expectMessage() != null) {
			assertThat(message).as("message: %s", about).contains(badInput.expectMessage());
		}
		assertThat(message.codePoints()).as("control characters: %s", about).noneMatch(Character::isISOControl);
		assertThat(CLASS_NAME.matcher(message).find()).as("a class name: %s", about).isFalse();
		assertThat(message).as("implementation details: %s", about).doesNotContain("Exception", "Jackson", "\tat ");
	}

	private static List<Resource> corpusFiles() throws IOException {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		List<Resource> files = new ArrayList<>();
		files.addAll(Arrays.asList(resolver.getResources("classpath*:bad-input/*.json")));
		files.addAll(Arrays.asList(resolver.getResources("classpath*:bad-input/*.jsonl")));
		files.sort(Comparator.comparing(Resource::getFilename));
		return files;
	}

	private static List<BadInputCase> read(Resource file) throws IOException {
		try (InputStream in = file.getInputStream()) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			List<BadInputCase> cases = new ArrayList<>();
			if (file.getFilename().endsWith(".jsonl")) {
				for (String line : text.split("\n")) {
					if (!line.isBlank()) {
						cases.add(JSON.readValue(line, BadInputCase.class));
					}
				}
			}
			else {
				cases.addAll(Arrays.asList(JSON.readValue(text, BadInputCase[].class)));
			}
			cases.forEach((badInput) -> badInput.validate(file.getFilename()));
			return cases;
		}
	}

	/** One case of the corpus; see {@code bad-input/README.md}. */
	record BadInputCase(String name, String method, String path, String contentType, String body, String bodyBase64, Repeat bodyRepeat,
			Boolean chunked, Map<String, String> headers, LargeHeader largeHeader, Boolean anonymous,
			Map<String, String> expectHeaders, Integer expectStatus, String expectCode, String expectMessage) {

		/** The {@code expectCode} of an answer that is no GraphQL error body. */
		static final String NO_GRAPHQL_BODY = "-";

		/** Stands for the tests' valid API key in {@code path} and header values. */
		static final String KEY = "$KEY";

		/** Stands for the tests' account's callback secret in {@code path}. */
		static final String CALLBACK_SECRET = "$CALLBACK_SECRET";

		BadInputCase {
			path = (path != null) ? path.replace(KEY, E2eSupport.KEY).replace(CALLBACK_SECRET, E2eSupport.CALLBACK_SECRET) : "/graphql";
			headers = (headers != null) ? withKey(headers) : Map.of();
			expectHeaders = (expectHeaders != null) ? expectHeaders : Map.of();
			chunked = Boolean.TRUE.equals(chunked);
			anonymous = Boolean.TRUE.equals(anonymous);
		}

		void validate(String file) {
			assertThat(this.name).as("a case in %s without a name", file).isNotBlank();
			assertThat(this.method).as("%s: method", this.name).isNotBlank();
			assertThat(this.expectStatus).as("%s: expectStatus", this.name).isNotNull().isBetween(100, 599);
			assertThat(this.expectCode).as("%s: expectCode", this.name).isNotBlank();
			assertThat(Stream.of(this.body, this.bodyBase64, this.bodyRepeat).filter((given) -> given != null).count())
				.as("%s: at most one of body, bodyBase64, bodyRepeat", this.name).isLessThanOrEqualTo(1);
			assertThat(this.anonymous && bringsCredentials()).as("%s: anonymous, yet it sends credentials", this.name).isFalse();
			assertThat(this.expectCode.equals(NO_GRAPHQL_BODY) && this.expectMessage != null)
				.as("%s: expectMessage without a GraphQL body", this.name).isFalse();
		}

		/** Whether the case sends an API key or an Authorization header of its own. */
		boolean bringsCredentials() {
			return Stream.concat(this.headers.keySet().stream(), Stream.ofNullable(this.largeHeader).map(LargeHeader::name))
				.anyMatch((name) -> name.equalsIgnoreCase(E2eSupport.KEY_HEADER) || name.equalsIgnoreCase("Authorization"));
		}

		private static Map<String, String> withKey(Map<String, String> headers) {
			Map<String, String> replaced = new LinkedHashMap<>();
			headers.forEach((name, value) -> replaced.put(name, value.replace(KEY, E2eSupport.KEY)));
			return replaced;
		}

		byte[] bytes() {
			if (this.bodyBase64 != null) {
				return Base64.getDecoder().decode(this.bodyBase64);
			}
			if (this.bodyRepeat != null) {
				return this.bodyRepeat.bytes();
			}
			return (this.body != null) ? this.body.getBytes(StandardCharsets.UTF_8) : null;
		}

		HttpRequest.BodyPublisher publisher() {
			byte[] bytes = bytes();
			if (bytes == null) {
				return HttpRequest.BodyPublishers.noBody();
			}
			if (this.chunked) {
				return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
			}
			return HttpRequest.BodyPublishers.ofByteArray(bytes);
		}

		boolean acceptsGraphQlResponse() {
			return this.headers.entrySet().stream().anyMatch((header) -> header.getKey().equalsIgnoreCase("Accept")
					&& header.getValue().contains("application/graphql-response+json"));
		}

		/** A large header: the text repeated as the value of the named header. */
		record LargeHeader(String name, String text, int times) {

			String value() {
				return this.text.repeat(this.times);
			}

		}

		/** A large body: the text repeated, between an optional prefix and suffix. */
		record Repeat(String prefix, String text, int times, String suffix) {

			byte[] bytes() {
				String start = (this.prefix != null) ? this.prefix : "";
				String end = (this.suffix != null) ? this.suffix : "";
				return (start + this.text.repeat(this.times) + end).getBytes(StandardCharsets.UTF_8);
			}

		}

	}

}
