package io.exogate.model.call;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount charged for a call.
 *
 * @param amount the amount, never negative, with the scale Exotel reported
 * @param currency ISO-4217 code when known (Exotel bills in INR or USD), otherwise {@code null}
 */
public record Money(BigDecimal amount, String currency) {

	public Money {
		Objects.requireNonNull(amount, "amount");
		if (amount.signum() < 0) {
			throw new IllegalArgumentException("A price cannot be negative: " + amount.toPlainString());
		}
		if (currency != null && !currency.matches("[A-Z]{3}")) {
			throw new IllegalArgumentException("Currency must be a three-letter ISO-4217 code, got '" + currency + "'");
		}
	}

	/** An amount in an unknown currency. */
	public static Money of(BigDecimal amount) {
		return new Money(amount, null);
	}

}
