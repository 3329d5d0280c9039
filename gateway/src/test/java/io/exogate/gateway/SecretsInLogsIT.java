package io.exogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.sandbox.SandboxSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * After every module's unit tests: no configured or minted secret appears in any line the tests
 * logged ({@code <module>/target/surefire-reports/*-output.txt}), and nothing there has the shape of
 * a credential. Runs in the gateway's {@code integration-test} phase, which Maven reaches after the
 * test phase of every module the gateway depends on, i.e. all of them.
 */
class SecretsInLogsIT {

	/** The project's root directory, set by the build. */
	static final String ROOT_PROPERTY = "exogate.root";

	/**
	 * What tests configure as credentials without registering them: the sandbox accounts' Exotel
	 * credentials, and the value the configuration tests of exotel-adapters and the gateway use
	 * ({@code ExotelBindingTest}, {@code DemoModeTest}). {@code exogate-demo-key}, demo mode's
	 * documented key, is public by design and not scanned for.
	 */
	static final List<String> CONFIGURED = Stream.concat(
			SandboxSettings.DEMO_ACCOUNTS.stream()
				.flatMap((account) -> Stream.of(account.apiKey(), account.apiToken(), account.v4Token())),
			// and the tests' playback signing key (gateway/src/test/resources/config/application.yaml)
			Stream.of("s3cr3t-value", "dGVzdC1wbGF5YmFjay1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw"))
		.toList();

	/** Credentials by their shape, whatever their value. */
	static final List<Pattern> SHAPES = List.of(Pattern.compile("(?i)authorization\\s*[:=]\\s*basic\\s+\\S"),
			Pattern.compile("(?i)bearer\\s+ey[A-Za-z0-9_-]"), Pattern.compile("-----BEGIN"),
			Pattern.compile("(?i)x-api-key\\s*[:=]\\s*[^\\s\"',;]"));

	private static final int EXCERPT = 160;

	@Test
	void noSecretIsInAnyTestLog() throws IOException {
		Path root = root();
		List<Path> logs = logs(root);
		assertThat(logs).as("test output under %s/*/target/surefire-reports: nothing to scan (redirectTestOutputToFile off, or no"
				+ " test ran?)", root).isNotEmpty();
		Set<String> secrets = new LinkedHashSet<>(CONFIGURED);
		secrets.addAll(TestSecrets.read(root.resolve("gateway")));
		List<Pattern> patterns = new ArrayList<>();
		for (String secret : secrets) {
			patterns.add(token(secret));
		}
		patterns.addAll(SHAPES);
		List<String> findings = new ArrayList<>();
		for (Path log : logs) {
			List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
			for (int i = 0; i < lines.size(); i++) {
				for (Pattern pattern : patterns) {
					Matcher matcher = pattern.matcher(lines.get(i));
					if (matcher.find()) {
						findings.add(root.relativize(log) + ":" + (i + 1) + ": " + redacted(lines.get(i), matcher));
						break;
					}
				}
			}
		}
		assertThat(findings).as("secrets in the logs of %d test classes (each shown redacted); a credential must never be"
				+ " logged: fix the logging, never this list", logs.size()).isEmpty();
	}

	@Test
	void aSecretIsFoundOnlyAsAWholeToken() {
		Pattern demoKey = token("demo-key");
		assertThat(demoKey.matcher("api-key=demo-key").find()).isTrue();
		assertThat(demoKey.matcher("curl -u demo-key:demo-token").find()).isTrue();
		assertThat(demoKey.matcher("X-API-Key exogate-demo-key").find()).isFalse();
		assertThat(demoKey.matcher("demo-keys").find()).isFalse();
		assertThat(SHAPES).anySatisfy((shape) -> assertThat(shape.matcher("> X-API-Key: k").find()).isTrue());
		assertThat(SHAPES).allSatisfy((shape) -> assertThat(shape.matcher("send an API key in the X-API-Key header").find()).isFalse());
		assertThat(redacted("a=demo-token;", found(Pattern.compile("demo-token"), "a=demo-token;"))).isEqualTo("a=de…[10 characters];");
		assertThat(redacted("> Authorization: Basic ZGVtbzp4 x", found(SHAPES.get(0), "> Authorization: Basic ZGVtbzp4 x")))
			.isEqualTo("> Au…[29 characters] x");
	}

	/** The secret as a whole token: neither preceded nor followed by a letter, digit, '_' or '-'. */
	static Pattern token(String secret) {
		return Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(secret) + "(?![A-Za-z0-9_-])");
	}

	private static Matcher found(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		assertThat(matcher.find()).isTrue();
		return matcher;
	}

	/**
	 * The line around the match, the match (and the rest of the word it ends in, the value after a
	 * credential's shape) cut to its first two characters and its length.
	 */
	static String redacted(String line, Matcher match) {
		int end = match.end();
		while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && "\"',;".indexOf(line.charAt(end)) < 0) {
			end++;
		}
		String hit = line.substring(match.start(), end);
		String shown = line.substring(0, match.start()) + hit.substring(0, Math.min(2, hit.length())) + "…[" + hit.length()
				+ " characters]" + line.substring(end);
		int from = Math.max(0, match.start() - EXCERPT / 2);
		int to = Math.min(shown.length(), from + EXCERPT);
		return ((from > 0) ? "…" : "") + shown.substring(from, to) + ((to < shown.length()) ? "…" : "");
	}

	private static List<Path> logs(Path root) throws IOException {
		List<Path> logs = new ArrayList<>();
		try (Stream<Path> modules = Files.list(root)) {
			for (Path reports : modules.map((module) -> module.resolve("target/surefire-reports")).filter(Files::isDirectory).toList()) {
				try (Stream<Path> files = Files.list(reports)) {
					files.filter((file) -> file.getFileName().toString().endsWith("-output.txt")).sorted().forEach(logs::add);
				}
			}
		}
		return logs;
	}

	private static Path root() {
		String root = System.getProperty(ROOT_PROPERTY);
		return ((root != null) ? Path.of(root) : Path.of("").toAbsolutePath().getParent()).toAbsolutePath().normalize();
	}

}
