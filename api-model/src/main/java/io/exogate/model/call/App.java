package io.exogate.model.call;

/**
 * The Exotel call-flow app that handled a call (v3).
 *
 * @param id the app id, or {@code null} when absent
 * @param name the app name, or {@code null} when absent
 */
public record App(String id, String name) {

	public App {
		if (id == null && name == null) {
			throw new IllegalArgumentException("An app needs an id or a name");
		}
	}

}
