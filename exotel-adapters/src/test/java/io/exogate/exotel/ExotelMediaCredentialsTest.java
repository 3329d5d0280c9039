package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExotelMediaCredentialsTest {

	private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("key-1:token-1".getBytes(StandardCharsets.UTF_8));

	private final ExotelMediaCredentials credentials = new ExotelMediaCredentials(properties(
			new ExotelProperties.BaseUrls(URI.create("http://127.0.0.1:8090"), URI.create("https://ccm.example:8443/base"), null),
			List.of(URI.create("https://recordings.example"))));

	@Test
	void urlsOnTheAccountsOwnOriginsGetItsBasicCredentials() {
		assertThat(this.credentials.authorization("acc", URI.create("http://127.0.0.1:8090/exotelrecordings/acc/c1.mp3")))
			.hasValue(BASIC);
		assertThat(this.credentials.authorization("acc", URI.create("https://CCM.example:8443/other/path?x=1"))).hasValue(BASIC);
		assertThat(this.credentials.authorization("acc", URI.create("https://recordings.example:443/exotelrecordings/acc/c1.mp3")))
			.as("the default port written or not").hasValue(BASIC);
		assertThat(this.credentials.authorization("acc", URI.create("https://api.exotel.com/v4/x")))
			.as("v4's origin (the region's) is not a Basic origin: v4 uses a bearer token").isEmpty();
	}

	@Test
	void anyOtherHostPortSchemeOrAccountGetsNothing() {
		for (String url : new String[] { "http://127.0.0.1:8091/exotelrecordings/acc/c1.mp3", "https://127.0.0.1:8090/x",
				"http://localhost:8090/x", "http://127.0.0.1.evil.example:8090/x", "https://recordings.example.evil.com/x",
				"http://recordings.example/x", "https://key-1:token-1@recordings.example/x", "https://user@recordings.example/x",
				"ftp://recordings.example/x" }) {
			assertThat(this.credentials.authorization("acc", URI.create(url))).as(url).isEmpty();
		}
		assertThat(this.credentials.authorization("other", URI.create("http://127.0.0.1:8090/x"))).isEmpty();
		assertThat(this.credentials.authorization("acc", URI.create("/relative"))).isEmpty();
	}

	@Test
	void theCredentialsAreNotInItsText() {
		assertThat(this.credentials.toString()).doesNotContain("key-1").doesNotContain("token-1").doesNotContain(BASIC);
	}

	@Test
	void aMediaOriginIsSchemeHostAndPortOnly() {
		for (String origin : new String[] { "https://recordings.example/exotelrecordings", "https://u:p@recordings.example",
				"https://recordings.example?x=1", "recordings.example" }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> properties(new ExotelProperties.BaseUrls(null, null, null), List.of(URI.create(origin))))
				.as(origin)
				.withMessageContaining("exogate.exotel.accounts[acc].media-origins[0]")
				.withMessageNotContaining("token-1");
		}
	}

	private static ExotelProperties properties(ExotelProperties.BaseUrls baseUrls, List<URI> mediaOrigins) {
		return new ExotelProperties(List.of(new ExotelProperties.Account("acc", null, "key-1", "token-1", "v4", baseUrls, null, null,
				null, mediaOrigins)), null, null, null, null, null);
	}

}
