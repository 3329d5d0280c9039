package io.exogate.exotel;

import io.exogate.model.port.MediaCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic credentials for an account's private recording URLs, given only for URLs on the
 * account's own origins (its v1 and v3 base URLs and its {@code media-origins}), compared by scheme,
 * host and port.
 */
public final class ExotelMediaCredentials implements MediaCredentials {

	private final Map<String, Grant> grants = new LinkedHashMap<>();

	public ExotelMediaCredentials(ExotelProperties properties) {
		for (ExotelProperties.Account account : properties.accounts()) {
			String basic = "Basic " + Base64.getEncoder()
				.encodeToString((account.apiKey() + ":" + account.apiToken()).getBytes(StandardCharsets.UTF_8));
			this.grants.put(account.sid(), new Grant(account.credentialOrigins(), basic));
		}
	}

	@Override
	public Optional<String> authorization(String account, URI url) {
		Grant grant = this.grants.get(account);
		if (grant == null || url == null || !url.isAbsolute() || url.getRawUserInfo() != null) {
			return Optional.empty();
		}
		String origin = ExotelProperties.Account.origin(url);
		return (origin != null && grant.origins().contains(origin)) ? Optional.of(grant.header()) : Optional.empty();
	}

	@Override
	public String toString() {
		return "ExotelMediaCredentials[accounts=" + this.grants.keySet() + "]";
	}

	private record Grant(Set<String> origins, String header) {

		@Override
		public String toString() {
			return "Grant[origins=" + this.origins + "]";
		}

	}

}
