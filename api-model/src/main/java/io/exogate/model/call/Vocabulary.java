package io.exogate.model.call;

import java.util.Locale;

/** Normalizes raw vendor vocabulary before it is looked up: trimmed, lower case, empty as absent. */
final class Vocabulary {

	private Vocabulary() {
	}

	static String normalize(String raw) {
		if (raw == null) {
			return null;
		}
		String trimmed = raw.trim();
		return trimmed.isEmpty() ? null : trimmed.toLowerCase(Locale.ROOT);
	}

}
