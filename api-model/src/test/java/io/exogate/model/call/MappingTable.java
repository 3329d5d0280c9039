package io.exogate.model.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads one of the README's mapping tables, between its begin and end markers. */
final class MappingTable {

	/** One row: API name ({@code v1}, {@code v3}, {@code v4} or {@code any}), raw value, normalized name. */
	record Row(String api, String raw, String normalized) {
	}

	private MappingTable() {
	}

	static List<Row> read(String name) {
		return cells(name).stream().map((cells) -> new Row(cells.get(0), unquote(cells.get(1)), unquote(cells.get(2)))).toList();
	}

	/** The cells of every body row of the README table marked {@code name}, trimmed. */
	static List<List<String>> cells(String name) {
		Path readme = locateReadme();
		List<String> lines;
		try {
			lines = Files.readAllLines(readme);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int begin = lines.indexOf("<!-- " + name + ":begin -->");
		int end = lines.indexOf("<!-- " + name + ":end -->");
		if (begin < 0 || end < begin) {
			throw new IllegalStateException("README has no table marked " + name);
		}
		List<List<String>> rows = new ArrayList<>();
		boolean header = true;
		for (String line : lines.subList(begin + 1, end)) {
			if (!line.startsWith("|") || line.startsWith("|---")) {
				continue;
			}
			if (header) {
				header = false;
				continue;
			}
			String[] cells = line.split("\\|", -1);
			List<String> row = new ArrayList<>();
			for (int i = 1; i < cells.length - 1; i++) {
				row.add(cells[i].trim());
			}
			rows.add(row);
		}
		return rows;
	}

	static String unquote(String cell) {
		return (cell.startsWith("`") && cell.endsWith("`")) ? cell.substring(1, cell.length() - 1) : cell;
	}

	private static Path locateReadme() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path candidate = dir.resolve("README.md");
			if (Files.exists(candidate) && Files.exists(dir.resolve("api-model"))) {
				return candidate;
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException("Cannot find the project README from " + Path.of("").toAbsolutePath());
	}

}
