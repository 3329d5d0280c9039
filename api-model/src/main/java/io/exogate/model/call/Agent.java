package io.exogate.model.call;

import java.util.Objects;

/**
 * The contact-center agent who handled a call (v4).
 *
 * @param id the agent's user id
 * @param name display name, or {@code null} when Exotel has none
 */
public record Agent(String id, String name) {

	public Agent {
		Objects.requireNonNull(id, "id");
	}

}
