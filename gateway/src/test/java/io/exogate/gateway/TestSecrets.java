package io.exogate.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The registry of secrets tests configure or mint, {@value #FILE} under the gateway module, which
 * {@link SecretsInLogsIT} looks for in every test's log after the whole run.
 */
public final class TestSecrets {

	/** The registry, one secret a line, relative to the gateway module. */
	public static final String FILE = "target/test-secrets.txt";

	/** Shorter text would be found in ordinary words: a secret this short cannot be scanned for. */
	static final int MIN_LENGTH = 8;

	private static final Set<String> registered = new LinkedHashSet<>();

	private TestSecrets() {
	}

	/**
	 * Adds the secret to the registry (once per test JVM) and returns it, so that a test can
	 * register a secret where it defines it: {@code static final String KEY = TestSecrets.register("...")}.
	 * @throws IllegalArgumentException when it is shorter than {@value #MIN_LENGTH} characters or spans lines
	 */
	public static synchronized String register(String secret) {
		if (secret == null || secret.length() < MIN_LENGTH || secret.strip().length() != secret.length()
				|| secret.contains("\n") || secret.contains("\r")) {
			throw new IllegalArgumentException("A registered secret is one line of at least " + MIN_LENGTH
					+ " characters without surrounding blanks");
		}
		if (registered.add(secret)) {
			Path file = file(moduleDirectory());
			try {
				Files.createDirectories(file.getParent());
				Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
						StandardOpenOption.APPEND, StandardOpenOption.WRITE);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return secret;
	}

	/** The secrets in the registry of the module at this directory; none when nothing was registered. */
	static List<String> read(Path module) throws IOException {
		Path file = file(module);
		if (!Files.exists(file)) {
			return List.of();
		}
		return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter((line) -> !line.isEmpty()).distinct().toList();
	}

	static Path file(Path module) {
		return module.resolve(FILE);
	}

	/** The gateway module: Surefire and Failsafe set {@code basedir} and run there. */
	private static Path moduleDirectory() {
		String basedir = System.getProperty("basedir");
		return Path.of((basedir != null) ? basedir : "").toAbsolutePath();
	}

}
