package io.exogate.gateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the Node scripts of {@code gateway/src/test/node} (real npm clients) against a running gateway.
 * Without {@code node} or the scripts' packages a test is skipped, naming what to install; where the
 * environment variable {@code CI} is set it fails instead.
 */
final class NodeClient {

	static final Path DIRECTORY = Path.of("src", "test", "node");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private NodeClient() {
	}

	/** The scripts' directory, once {@code node} and its packages are there. */
	static Path require() {
		Path directory = DIRECTORY.toAbsolutePath();
		String missing = null;
		if (!nodeRuns()) {
			missing = "node is not installed (Debian: apt-get install nodejs npm), then run 'npm ci' in " + directory;
		}
		else if (!Files.isDirectory(directory.resolve("node_modules").resolve("graphql-ws"))
				|| !Files.isDirectory(directory.resolve("node_modules").resolve("ws"))) {
			missing = "the npm packages graphql-ws and ws are not installed: run 'npm ci' in " + directory;
		}
		if (missing != null) {
			if (System.getenv("CI") != null) {
				Assertions.fail("CI is set and " + missing);
			}
			Assumptions.abort("Skipped: " + missing);
		}
		return directory;
	}

	/** Starts {@code node script args...} in the directory; its output (stdout and stderr) goes to a file. */
	static Run start(Path directory, String script, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		Path output = Files.createTempFile("exogate-node-", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		return new Run(process, output);
	}

	private static boolean nodeRuns() {
		try {
			Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** A running script and where its output goes. */
	record Run(Process process, Path file) {

		/** What it printed so far. */
		String output() {
			try {
				return Files.readString(this.file, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Its output's lines that are JSON objects, read. */
		List<JsonNode> lines() {
			return output().lines().filter((line) -> line.startsWith("{")).map((line) -> JSON.readTree(line)).toList();
		}

	}

}
