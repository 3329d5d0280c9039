package io.exogate.model.port;

import java.net.URI;
import java.util.Optional;

/**
 * The account credentials a private recording URL is fetched with. They are given only for a URL
 * whose scheme, host and port are one of the account's own Exotel origins, never for any other
 * host a payload may name.
 */
public interface MediaCredentials {

	/**
	 * The value of the {@code Authorization} header to fetch {@code url} for {@code account} with,
	 * or empty when the account is unknown, or the URL is not on one of its Exotel origins or
	 * carries user information. The value is a secret: never log it or put it in a message.
	 */
	Optional<String> authorization(String account, URI url);

}
