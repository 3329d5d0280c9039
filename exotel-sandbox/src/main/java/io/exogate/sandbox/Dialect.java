package io.exogate.sandbox;

/** The API generations the sandbox speaks. */
enum Dialect {

	V1, V3, V4;

	String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/** Whether answers on {@code path} are JSON: v1 answers XML unless the path ends in {@code .json}. */
	boolean answersJson(String path) {
		return this != V1 || path.endsWith(".json");
	}

}
