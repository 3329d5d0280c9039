package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.model.call.ApiVersion;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Configuration is bound from {@code exogate.exotel.*} and refused with a message naming the key. */
class ExotelPropertiesTest {

	@Test
	void aMinimalAccountGetsTheDocumentedDefaults() {
		ExotelProperties properties = bind(java.util.Map.of(
				"exogate.exotel.accounts[0].sid", "acme",
				"exogate.exotel.accounts[0].api-key", "key",
				"exogate.exotel.accounts[0].api-token", "token",
				"exogate.exotel.accounts[0].v4-token", "v4"));
		ExotelProperties.Account account = properties.account("acme");
		assertThat(account.region()).isEqualTo(Region.SINGAPORE);
		assertThat(account.baseUrl(ApiVersion.V1)).isEqualTo(URI.create("https://api.exotel.com"));
		assertThat(account.baseUrl(ApiVersion.V4)).isEqualTo(URI.create("https://ccm-api.exotel.com"));
		assertThat(account.requestsPerMinute()).isEqualTo(200);
		assertThat(account.presignedUrlValidity()).isEqualTo(Duration.ofMinutes(5));
		assertThat(account.timeouts().response()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.budget().maxWait()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.resilience().maxAttempts()).isEqualTo(3);
		assertThat(properties.defaultRegion()).isEqualTo("IN");
		assertThat(account.toString()).doesNotContain("token").doesNotContain("key=");
	}

	@Test
	void mumbaiAndOverridesPickTheBaseUrls() {
		ExotelProperties properties = bind(java.util.Map.of(
				"exogate.exotel.accounts[0].sid", "acme",
				"exogate.exotel.accounts[0].region", "MUMBAI",
				"exogate.exotel.accounts[0].api-key", "key",
				"exogate.exotel.accounts[0].api-token", "token",
				"exogate.exotel.accounts[0].v4-token", "v4",
				"exogate.exotel.accounts[0].base-urls.v4", "http://127.0.0.1:8090"));
		ExotelProperties.Account account = properties.account("acme");
		assertThat(account.baseUrl(ApiVersion.V1)).isEqualTo(URI.create("https://api.in.exotel.com"));
		assertThat(account.baseUrl(ApiVersion.V3)).isEqualTo(URI.create("https://ccm-api.in.exotel.com"));
		assertThat(account.baseUrl(ApiVersion.V4)).isEqualTo(URI.create("http://127.0.0.1:8090"));
	}

	@Test
	void badValuesAreRefusedWithTheKeyNamed() {
		assertRefused(java.util.Map.of("exogate.exotel.budget.max-queue", "1"), "configure at least one Exotel account");
		assertRefused(account("presigned-url-validity", "61m"), "presigned-url-validity must be whole minutes from 5m to 60m");
		assertRefused(account("presigned-url-validity", "4m"), "presigned-url-validity");
		assertRefused(account("requests-per-minute", "0"), "requests-per-minute must be at least 1");
		assertRefused(account("base-urls.v1", "ftp://example.com"), "base-urls.v1 must be an absolute http(s) URL");
		assertRefused(account("base-urls.v3", "ftp://user:pw@example.com"), "base-urls.v3 must be an absolute http(s) URL");
		assertRefused(account("base-urls.v1", "https://user:pw@example.com"), "must not carry credentials");
		assertRefused(account("api-token", " "), "api-token is required");
	}

	@Test
	void theDefaultRegionIsAnIsoCountryCodeInAnyCase() {
		java.util.Map<String, String> values = account("sid", "acme");
		values.put("exogate.exotel.default-region", "sg");
		assertThat(bind(values).defaultRegion()).isEqualTo("SG");
		for (String bad : java.util.List.of("XX", "IND", "India", "I N", "91", "ZZ")) {
			java.util.Map<String, String> refused = account("sid", "acme");
			refused.put("exogate.exotel.default-region", bad);
			assertRefused(refused, "exogate.exotel.default-region must be an ISO 3166 two-letter country code");
			assertRefused(refused, "got '" + bad + "'");
		}
	}

	private static java.util.Map<String, String> account(String key, String value) {
		java.util.Map<String, String> map = new java.util.HashMap<>(java.util.Map.of(
				"exogate.exotel.accounts[0].sid", "acme",
				"exogate.exotel.accounts[0].api-key", "key",
				"exogate.exotel.accounts[0].api-token", "token",
				"exogate.exotel.accounts[0].v4-token", "v4"));
		map.put("exogate.exotel.accounts[0]." + key, value);
		return map;
	}

	private static void assertRefused(java.util.Map<String, String> values, String message) {
		Throwable error = null;
		try {
			bind(values);
		}
		catch (RuntimeException ex) {
			error = ex;
		}
		assertThat(error).as("binding %s", values).isNotNull();
		Throwable root = error;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		assertThat(root).hasMessageContaining(message);
		assertThat(root.getMessage()).doesNotContain("pw");
	}

	private static ExotelProperties bind(java.util.Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("exogate.exotel", ExotelProperties.class);
	}

}
