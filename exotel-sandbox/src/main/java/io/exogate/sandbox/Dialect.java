package io.exogate.sandbox;

/** The API generations the sandbox speaks. */
enum Dialect {

	V1, V3, V4;

	String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
