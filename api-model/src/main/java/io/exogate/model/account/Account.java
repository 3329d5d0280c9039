package io.exogate.model.account;

import java.util.Objects;

/**
 * An Exotel account the gateway serves, as clients may see it: no credentials.
 *
 * @param sid the account SID, named by a request's {@code account} argument
 * @param region the Exotel region serving it, such as {@code SINGAPORE}
 * @param requestsPerMinute the account's request budget, shared by every gateway instance
 */
public record Account(String sid, String region, int requestsPerMinute) {

	public Account {
		Objects.requireNonNull(sid, "sid");
		Objects.requireNonNull(region, "region");
		if (requestsPerMinute < 1) {
			throw new IllegalArgumentException("An account's request budget is at least 1 request per minute");
		}
	}

}
