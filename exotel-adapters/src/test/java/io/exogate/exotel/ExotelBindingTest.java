package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.exogate.model.call.ApiVersion;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code exogate.exotel.*} or the {@code EXOTEL_*} environment variables become
 * {@link ExotelProperties}; anything missing, partial or misspelt stops the start naming it, and
 * never showing a value.
 */
class ExotelBindingTest {

	private static final String SECRET = "s3cr3t-value";

	@Test
	void theFourVariablesMakeOneAccountWithTheRestOfExogateExotelAsConfigured() {
		StandardEnvironment environment = environment(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", "key",
				"EXOTEL_API_TOKEN", "token", "EXOTEL_V4_TOKEN", "v4", "EXOTEL_REGION", "mumbai", "EXOTEL_V4_BASE_URL",
				"http://127.0.0.1:8090"));
		environment.getPropertySources().addLast(new MapPropertySource("yaml", Map.of("exogate.exotel.budget.max-wait", "3s")));
		ExotelProperties properties = ExotelBinding.bind(environment);
		ExotelProperties.Account account = properties.account("acme");
		assertThat(account.region()).isEqualTo(Region.MUMBAI);
		assertThat(account.apiKey()).isEqualTo("key");
		assertThat(account.baseUrl(ApiVersion.V1)).isEqualTo(URI.create("https://api.in.exotel.com"));
		assertThat(account.baseUrl(ApiVersion.V4)).isEqualTo(URI.create("http://127.0.0.1:8090"));
		assertThat(properties.budget().maxWait()).hasSeconds(3);
	}

	@Test
	void theVariablesTakeTheDefaultRegionFromExogateExotelAndABadOneStopsTheStartNamingTheKey() {
		StandardEnvironment environment = environment(complete("EXOTEL_REGION", "MUMBAI"));
		environment.getPropertySources().addLast(new MapPropertySource("yaml", Map.of("exogate.exotel.default-region", "sg")));
		assertThat(ExotelBinding.bind(environment).defaultRegion()).isEqualTo("SG");
		assertThat(ExotelBinding.bind(environment(complete("EXOTEL_REGION", "MUMBAI"))).defaultRegion()).isEqualTo("IN");
		StandardEnvironment bad = environment(complete("EXOTEL_REGION", "MUMBAI"));
		bad.getPropertySources().addLast(new MapPropertySource("yaml", Map.of("exogate.exotel.default-region", "XX")));
		FailureAnalyzedException refused = catchThrowableOfType(FailureAnalyzedException.class, () -> ExotelBinding.bind(bad));
		assertThat(refused).isNotNull();
		assertThat(refused.getMessage()).contains("exogate.exotel.default-region must be an ISO 3166 two-letter country code")
			.doesNotContain(SECRET);
	}

	@Test
	void configuredAccountsWinOverTheVariablesTheyMayReferTo() {
		StandardEnvironment environment = environment(Map.of("EXOTEL_API_KEY", "key", "EXOGATE_EXOTEL_ACCOUNTS_0_SID", "acme",
				"EXOGATE_EXOTEL_ACCOUNTS_0_API_KEY", "${EXOTEL_API_KEY}", "EXOGATE_EXOTEL_ACCOUNTS_0_API_TOKEN", "token",
				"EXOGATE_EXOTEL_ACCOUNTS_0_V4_TOKEN", "v4"));
		assertThat(ExotelBinding.bind(environment).account("acme").apiKey()).isEqualTo("key");
	}

	@Test
	void aKeyWithoutAnAccountSidNamesTheMissingVariable() {
		assertRefused(Map.of("EXOTEL_API_KEY", SECRET), "EXOTEL_API_KEY is set but EXOTEL_ACCOUNT_SID is not",
				"EXOTEL_API_KEY needs EXOTEL_API_TOKEN", "EXOTEL_V4_TOKEN is not set");
		assertRefused(Map.of("EXOTEL_API_KEY", SECRET, "EXOTEL_API_TOKEN", SECRET, "EXOTEL_V4_TOKEN", SECRET),
				"EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN are set but EXOTEL_ACCOUNT_SID is not");
		assertRefused(Map.of("EXOTEL_REGION", "MUMBAI"), "EXOTEL_REGION is set but EXOTEL_ACCOUNT_SID is not");
	}

	@Test
	void aKeyWithoutATokenNamesTheMissingVariable() {
		assertRefused(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_V4_TOKEN", SECRET),
				"EXOTEL_API_KEY needs EXOTEL_API_TOKEN");
		assertRefused(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_TOKEN", SECRET, "EXOTEL_V4_TOKEN", SECRET),
				"EXOTEL_API_TOKEN needs EXOTEL_API_KEY");
		assertRefused(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_API_TOKEN", " ",
				"EXOTEL_V4_TOKEN", SECRET), "EXOTEL_API_KEY needs EXOTEL_API_TOKEN, which is empty");
		assertRefused(Map.of("EXOTEL_ACCOUNT_SID", "acme"), "EXOTEL_API_KEY is not set", "EXOTEL_API_TOKEN is not set",
				"EXOTEL_V4_TOKEN is not set");
	}

	@Test
	void anEmptyOrMalformedValueIsNamed() {
		assertRefused(Map.of("EXOTEL_ACCOUNT_SID", ""), "EXOTEL_ACCOUNT_SID is empty");
		assertRefused(complete("EXOTEL_ACCOUNT_SID", "acme/../x"), "EXOTEL_ACCOUNT_SID must be 1 to 64 letters");
		assertRefused(complete("EXOTEL_REGION", "Mars"), "EXOTEL_REGION must be SINGAPORE or MUMBAI");
		assertRefused(complete("EXOTEL_V1_BASE_URL", "https://user:" + SECRET + "@example.com"),
				"EXOTEL_V1_BASE_URL must not carry credentials or a query");
		assertRefused(complete("EXOTEL_V3_BASE_URL", "http://exa mple.com/" + SECRET), "EXOTEL_V3_BASE_URL is not a URL");
		assertRefused(complete("EXOTEL_V4_BASE_URL", "ftp://example.com"), "EXOTEL_V4_BASE_URL must be an absolute http(s) URL");
	}

	@Test
	void aMisspeltVariableIsNamedWithTheKnownOnes() {
		FailureAnalyzedException refused = assertRefused(complete("EXOTEL_ACOUNT_SID", SECRET),
				"Unknown Exotel environment variable EXOTEL_ACOUNT_SID: the known ones are EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY,"
						+ " EXOTEL_API_TOKEN, EXOTEL_V4_TOKEN, EXOTEL_REGION, EXOTEL_V1_BASE_URL, EXOTEL_V3_BASE_URL, EXOTEL_V4_BASE_URL");
		assertThat(refused.analysis().getAction()).startsWith("Correct or unset EXOTEL_ACOUNT_SID.");
		assertRefused(Map.of("exotel_api_tokn", SECRET), "Unknown Exotel environment variable exotel_api_tokn");
	}

	@Test
	void aKeyWithoutATokenUnderExogateExotelAccountsIsNamed() {
		assertRefused(Map.of("EXOGATE_EXOTEL_ACCOUNTS_0_SID", "acme", "EXOGATE_EXOTEL_ACCOUNTS_0_API_KEY", SECRET,
				"EXOGATE_EXOTEL_ACCOUNTS_0_V4_TOKEN", SECRET), "exogate.exotel.accounts[acme].api-token is required");
		assertRefused(Map.of("EXOGATE_EXOTEL_ACCOUNTS_0_API_KEY", SECRET), "exogate.exotel.accounts[].sid");
		assertRefused(Map.of("EXOGATE_EXOTEL_ACCOUNTS_0_SID", "acme", "EXOGATE_EXOTEL_ACCOUNTS_0_API_KEY", SECRET,
				"EXOGATE_EXOTEL_ACCOUNTS_0_API_TOKEN", SECRET, "EXOGATE_EXOTEL_ACCOUNTS_0_V4_TOKEN", SECRET,
				"EXOGATE_EXOTEL_ACCOUNTS_0_REQUESTS_PER_MINUTE", "lots"),
				"exogate.exotel.accounts[0].requests-per-minute cannot be read as Integer");
	}

	@Test
	void nothingConfiguredSaysWhatToSet() {
		FailureAnalyzedException refused = assertRefused(Map.of(), "No Exotel account is configured");
		assertThat(refused.analysis().getAction()).contains("EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN",
				"exogate.exotel.accounts");
	}

	private static Map<String, Object> complete(String name, String value) {
		Map<String, Object> variables = new LinkedHashMap<>(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET,
				"EXOTEL_API_TOKEN", SECRET, "EXOTEL_V4_TOKEN", SECRET));
		variables.put(name, value);
		return variables;
	}

	private static FailureAnalyzedException assertRefused(Map<String, ?> variables, String... messages) {
		FailureAnalyzedException refused = catchThrowableOfType(FailureAnalyzedException.class,
				() -> ExotelBinding.bind(environment(variables)));
		assertThat(refused).as("binding %s", variables.keySet()).isNotNull();
		assertThat(refused.getMessage()).contains(messages).doesNotContain(SECRET);
		assertThat(refused.analysis().getAction()).doesNotContain(SECRET);
		assertThat(refused.getCause()).isNull();
		return refused;
	}

	/** An environment whose only variables are these, read as the process environment is. */
	@SuppressWarnings("unchecked")
	private static StandardEnvironment environment(Map<String, ?> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					(Map<String, Object>) variables));
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

}
