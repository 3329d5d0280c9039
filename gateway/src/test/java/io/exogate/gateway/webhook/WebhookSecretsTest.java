package io.exogate.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Callback secrets: bound from either form, checked at start without ever quoting a value, compared whole. */
class WebhookSecretsTest {

	private static final String SECRET = "a-callback-secret-of-32-chars-00";

	@Test
	void accountsUnderExotelAccountsTakeTheirOwnSecret() {
		WebhookSecrets secrets = WebhookSecrets.bind(new MockEnvironment()
			.withProperty("exogate.exotel.accounts[0].sid", "acme")
			.withProperty("exogate.exotel.accounts[0].callback-secret", SECRET)
			.withProperty("exogate.exotel.accounts[1].sid", "quiet"));
		assertThat(secrets.accounts()).containsExactly("acme");
		assertThat(secrets.matches("acme", SECRET)).isTrue();
		assertThat(secrets.matches("acme", SECRET + "x")).isFalse();
		assertThat(secrets.matches("acme", SECRET.substring(1))).isFalse();
		assertThat(secrets.matches("acme", null)).isFalse();
		assertThat(secrets.matches("quiet", SECRET)).as("an account without a secret takes no callbacks").isFalse();
		assertThat(secrets.matches("nobody", SECRET)).isFalse();
		assertThat(secrets.toString()).doesNotContain(SECRET);
	}

	@Test
	void theSingleAccountFormReadsTheVariable() {
		WebhookSecrets secrets = WebhookSecrets.bind(new MockEnvironment().withProperty("EXOTEL_ACCOUNT_SID", "acme")
			.withProperty(WebhookSecrets.VARIABLE, SECRET));
		assertThat(secrets.matches("acme", SECRET)).isTrue();
	}

	@Test
	void anUnusableSecretStopsTheStartNamingTheKeyNeverTheValue() {
		String shortOne = "short-secret-1";
		assertThatIllegalStateException()
			.isThrownBy(() -> WebhookSecrets.bind(new MockEnvironment().withProperty("exogate.exotel.accounts[0].sid", "acme")
				.withProperty("exogate.exotel.accounts[0].callback-secret", shortOne)))
			.withMessageContaining("exogate.exotel.accounts[0].callback-secret must be 16 to 256 characters")
			.withMessageNotContaining(shortOne);
		String spaced = "a secret with spaces in it";
		assertThatIllegalStateException()
			.isThrownBy(() -> WebhookSecrets.bind(new MockEnvironment().withProperty("EXOTEL_ACCOUNT_SID", "acme")
				.withProperty(WebhookSecrets.VARIABLE, spaced)))
			.withMessageContaining(WebhookSecrets.VARIABLE)
			.withMessageNotContaining(spaced);
	}

	@Test
	void linksAreBuiltOnThePublicBaseUrlAndMaskedForLogs() {
		WebhookLinks links = new WebhookLinks(WebhookSecrets.of(java.util.Map.of("acme", SECRET)),
				new MockEnvironment().withProperty("exogate.public-base-url", "https://exogate.example.com/"));
		assertThat(links.status("acme")).isEqualTo(URI.create("https://exogate.example.com/webhooks/exotel/acme/status?secret=" + SECRET));
		assertThat(links.export("acme")).isEqualTo(URI.create("https://exogate.example.com/webhooks/exotel/acme/export?secret=" + SECRET));
		assertThat(links.status("other")).isNull();
		assertThat(WebhookLinks.masked(links.status("acme").toString())).doesNotContain(SECRET).endsWith("/acme/status?secret=…");
		WebhookLinks own = new WebhookLinks(WebhookSecrets.of(java.util.Map.of("acme", SECRET)),
				new MockEnvironment().withProperty("local.server.port", "43210"));
		assertThat(own.status("acme").toString()).startsWith("http://127.0.0.1:43210/webhooks/exotel/acme/status?secret=");
	}

}
