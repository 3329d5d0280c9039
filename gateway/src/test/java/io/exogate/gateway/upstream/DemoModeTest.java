package io.exogate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.exogate.exotel.ExotelAutoConfiguration;
import io.exogate.exotel.ExotelProperties;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.account.Accounts;
import io.exogate.model.account.Account;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import io.exogate.model.port.AccountDirectory;
import io.exogate.model.port.CallSource;
import io.exogate.sandbox.Sandbox;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import reactor.test.StepVerifier;

/**
 * With nothing configured the gateway serves the embedded sandbox and says so; with demo mode
 * disabled, or with a partial or misspelt configuration, it refuses to start naming what is
 * missing, without showing any value.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoModeTest {

	private static final String SECRET = TestSecrets.register("s3cr3t-value");

	private static final String BANNER = "DEMO MODE: no Exotel account is configured. Serving the embedded sandbox at";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(UpstreamConfiguration.class)
		.withConfiguration(AutoConfigurations.of(ExotelAutoConfiguration.class))
		.withBean(Accounts.class);

	@Test
	void withNothingConfiguredTheSandboxServesDemoDataAndTheStartSaysSo(CapturedOutput output) {
		withVariables(Map.of()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(UpstreamMode.class)).isEqualTo(UpstreamMode.DEMO);
			assertThat(context.getBean(Accounts.class).sandbox()).isTrue();
			assertThat(context.getBean(AccountDirectory.class).accounts()).containsExactly(new Account("exogate-demo", "SINGAPORE", 200),
					new Account("exogate-demo-2", "SINGAPORE", 200));
			context.getBean(UpstreamHealthIndicator.class)
				.health()
				.as(StepVerifier::create)
				.assertNext((health) -> assertThat(health.getDetails()).containsEntry("mode", "demo"))
				.verifyComplete();
			Sandbox sandbox = context.getBean(Sandbox.class);
			context.getBean(CallSource.class)
				.search("exogate-demo", CallQuery.any(), PageRequest.first(5))
				.as(StepVerifier::create)
				.assertNext((page) -> assertThat(page.calls()).hasSize(5))
				.verifyComplete();
			assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(1);
		});
		assertThat(output.getOut()).containsPattern("WARN[^\\n]*DemoMode")
			.contains(BANNER, "(accounts exogate-demo, exogate-demo-2): every call and recording is generated",
					"sandbox data, not Exotel's. Clients send the demo key exogate-demo-key in X-API-Key.",
					"To use Exotel, set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and",
					"EXOTEL_V4_TOKEN, or configure exogate.exotel.accounts",
					"To refuse to start without an account, set exogate.demo.enabled=false", "EXOGATE_DEMO_ENABLED=false");
	}

	@Test
	void theDemoSandboxClosesWithTheContext() {
		AtomicInteger port = new AtomicInteger();
		withVariables(Map.of()).run((context) -> {
			port.set(context.getBean(Sandbox.class).port());
			new Socket("127.0.0.1", port.get()).close();
		});
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port.get()).close());
	}

	@Test
	void exotelVariablesSelectExotelMode(CapturedOutput output) {
		withVariables(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_API_TOKEN", SECRET, "EXOTEL_V4_TOKEN",
				SECRET, "EXOTEL_REGION", "MUMBAI"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(Sandbox.class);
				assertThat(context.getBean(UpstreamMode.class)).isEqualTo(UpstreamMode.EXOTEL);
				assertThat(context.getBean(Accounts.class).sandbox()).isFalse();
				assertThat(context.getBean(Accounts.class).all()).containsExactly(new Account("acme", "MUMBAI", 200));
				context.getBean(UpstreamHealthIndicator.class)
					.health()
					.as(StepVerifier::create)
					.assertNext((health) -> assertThat(health.getDetails()).containsEntry("mode", "exotel"))
					.verifyComplete();
			});
		assertThat(output.getOut()).doesNotContain(BANNER).doesNotContain(SECRET);
	}

	@Test
	void withDemoModeDisabledAMissingAccountStopsTheStart(CapturedOutput output) {
		String message = "exogate.demo.enabled=false and no Exotel account is configured: set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY,"
				+ " EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN, or exogate.exotel.accounts";
		withVariables(Map.of()).withPropertyValues("exogate.demo.enabled=false")
			.run((context) -> assertRefused(context, message));
		withVariables(Map.of("EXOGATE_DEMO_ENABLED", "false")).run((context) -> assertRefused(context, message));
		assertThat(output.getOut()).doesNotContain(BANNER);
	}

	@Test
	void aKeyWithoutAnAccountSidStopsTheStartNamingIt(CapturedOutput output) {
		withVariables(Map.of("EXOTEL_API_KEY", SECRET))
			.run((context) -> assertRefused(context, "EXOTEL_API_KEY is set but EXOTEL_ACCOUNT_SID is not"));
		assertThat(output.getOut()).doesNotContain(BANNER);
	}

	@Test
	void aKeyWithoutATokenStopsTheStartNamingIt() {
		withVariables(Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_V4_TOKEN", SECRET))
			.run((context) -> assertRefused(context, "EXOTEL_API_KEY needs EXOTEL_API_TOKEN"));
		withVariables(Map.of()).withPropertyValues("exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].api-key=" + SECRET,
				"exogate.exotel.accounts[0].v4-token=" + SECRET)
			.run((context) -> assertRefused(context, "exogate.exotel.accounts[acme].api-token is required"));
	}

	@Test
	void aMisspeltVariableStopsTheStartNamingItAndTheKnownOnes(CapturedOutput output) {
		withVariables(Map.of("EXOTEL_ACOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_API_TOKEN", SECRET, "EXOTEL_V4_TOKEN",
				SECRET))
			.run((context) -> assertRefused(context, "Unknown Exotel environment variable EXOTEL_ACOUNT_SID: the known ones are"
					+ " EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN, EXOTEL_V4_TOKEN, EXOTEL_REGION, EXOTEL_V1_BASE_URL,"
					+ " EXOTEL_V3_BASE_URL, EXOTEL_V4_BASE_URL"));
		withVariables(Map.of("EXOTEL_ACOUNT_SID", "acme")).run((context) -> assertRefused(context, "EXOTEL_ACOUNT_SID"));
		assertThat(output.getOut()).doesNotContain(BANNER);
	}

	@Test
	void theDefaultRegionIsCheckedAtStart() {
		withVariables(Map.of()).run((context) -> assertThat(context.getBean(ExotelProperties.class).defaultRegion()).isEqualTo("IN"));
		Map<String, Object> account = Map.of("EXOTEL_ACCOUNT_SID", "acme", "EXOTEL_API_KEY", SECRET, "EXOTEL_API_TOKEN", SECRET,
				"EXOTEL_V4_TOKEN", SECRET);
		withVariables(account).withPropertyValues("exogate.exotel.default-region=sg")
			.run((context) -> assertThat(context.getBean(ExotelProperties.class).defaultRegion()).isEqualTo("SG"));
		String message = "exogate.exotel.default-region must be an ISO 3166 two-letter country code";
		withVariables(account).withPropertyValues("exogate.exotel.default-region=XX").run((context) -> assertRefused(context, message));
		withVariables(Map.of()).withPropertyValues("exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].api-key=k",
				"exogate.exotel.accounts[0].api-token=t", "exogate.exotel.accounts[0].v4-token=v", "exogate.exotel.default-region=India")
			.run((context) -> assertRefused(context, message));
		withVariables(Map.of()).withPropertyValues("exogate.exotel.default-region=XX").run((context) -> assertRefused(context, message));
	}

	/** The runner with these as the only process environment variables. */
	private ApplicationContextRunner withVariables(Map<String, Object> variables) {
		return this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
	}

	private static void assertRefused(AssertableApplicationContext context, String message) {
		assertThat(context).hasFailed();
		Throwable root = context.getStartupFailure();
		while (root.getCause() != null) {
			root = root.getCause();
		}
		assertThat(root).hasMessageContaining(message).hasMessageNotContaining(SECRET);
	}

}
