package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Exotel's published docs and examples from {@code ../shared/exotel-docs/}, and a shape check:
 * every field a documented payload has, the sandbox's payload has too, with a compatible type.
 */
final class Docs {

	private Docs() {
	}

	static Path directory() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path candidate = dir.resolve("shared").resolve("exotel-docs");
			if (Files.isDirectory(candidate)) {
				return candidate;
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException("Exotel's docs are expected in ../shared/exotel-docs beside the repository; "
				+ "none found above " + Path.of("").toAbsolutePath());
	}

	static JsonNode example(String name) {
		return Json.read(read(directory().resolve("examples").resolve(name)));
	}

	/** Every JSON object printed in a doc page, in order. */
	static List<JsonNode> jsonBlocks(String page) {
		String text = read(directory().resolve(page));
		List<JsonNode> blocks = new ArrayList<>();
		int index = 0;
		while ((index = text.indexOf('{', index)) >= 0) {
			int end = balanced(text, index);
			if (end < 0) {
				break;
			}
			try {
				JsonNode node = Json.read(text.substring(index, end + 1));
				if (node.isObject() && !node.isEmpty()) {
					blocks.add(node);
					index = end + 1;
					continue;
				}
			}
			catch (RuntimeException ex) {
				// not JSON (code sample); keep scanning
			}
			index++;
		}
		return blocks;
	}

	/** The first JSON block of a page that has the given field somewhere. */
	static JsonNode block(String page, String field) {
		return jsonBlocks(page).stream()
			.filter((node) -> !node.findValues(field).isEmpty())
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(page + " has no JSON example with '" + field + "'"));
	}

	/** Asserts that {@code actual} has every field of {@code documented}, recursively. */
	static void assertConforms(JsonNode documented, JsonNode actual) {
		conforms(documented, actual, "$");
	}

	private static void conforms(JsonNode documented, JsonNode actual, String path) {
		assertThat(actual).as("%s is missing", path).isNotNull();
		if (documented.isNull() || actual.isNull()) {
			return;
		}
		if (documented.isObject()) {
			assertThat(actual.isObject()).as("%s should be an object but is %s", path, actual).isTrue();
			for (Iterator<String> names = documented.propertyNames().iterator(); names.hasNext();) {
				String name = names.next();
				assertThat(actual.has(name)).as("%s.%s is documented but missing", path, name).isTrue();
				conforms(documented.get(name), actual.get(name), path + "." + name);
			}
		}
		else if (documented.isArray()) {
			assertThat(actual.isArray()).as("%s should be an array", path).isTrue();
			if (!documented.isEmpty() && !actual.isEmpty()) {
				conforms(documented.get(0), actual.get(0), path + "[0]");
			}
		}
		else if (documented.isBoolean()) {
			assertThat(actual.isBoolean()).as("%s should be a boolean", path).isTrue();
		}
		else {
			assertThat(actual.isString() || actual.isNumber()).as("%s should be a scalar, is %s", path, actual).isTrue();
		}
	}

	private static int balanced(String text, int start) {
		int depth = 0;
		boolean inString = false;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (inString) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					inString = false;
				}
				continue;
			}
			if (c == '"') {
				inString = true;
			}
			else if (c == '{') {
				depth++;
			}
			else if (c == '}' && --depth == 0) {
				return i;
			}
		}
		return -1;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
