package io.exogate.model.call;

import java.util.Objects;

/**
 * The customer on a call (v4).
 *
 * @param number the customer's phone number
 * @param name display name, or {@code null} when Exotel has none
 */
public record Customer(String number, String name) {

	public Customer {
		Objects.requireNonNull(number, "number");
	}

}
