package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SandboxAccounts;
import io.exogate.model.account.Account;
import io.exogate.model.port.AccountDirectory;
import io.exogate.model.port.CallSource;
import io.exogate.model.port.RecordingLinks;
import io.exogate.model.port.RecordingSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ExotelAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExotelAutoConfiguration.class));

	@Test
	void withoutAnAccountTheStartFailsSayingWhatToSet() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(FailureAnalyzedException.class)
				.hasMessage("No Exotel account is configured");
			assertThat(((FailureAnalyzedException) rootCause(context.getStartupFailure())).analysis().getAction())
				.contains("EXOTEL_ACCOUNT_SID", "exogate.exotel.accounts");
		});
	}

	@Test
	void theAdaptersBindTheirAccountsFromTheEnvironment() {
		this.runner.withPropertyValues("exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].region=MUMBAI",
				"exogate.exotel.accounts[0].api-key=k", "exogate.exotel.accounts[0].api-token=t",
				"exogate.exotel.accounts[0].v4-token=v", "exogate.exotel.accounts[0].requests-per-minute=120")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AccountDirectory.class).accounts()).containsExactly(new Account("acme", "MUMBAI", 120));
				assertThat(context.getBean(RecordingLinks.class)).isInstanceOf(MediaLinks.class);
			});
	}

	@Test
	void theAdaptersStartOnceTheApplicationProvidesItsAccounts() {
		this.runner.withBean(ExotelProperties.class, () -> SandboxAccounts.properties("http://127.0.0.1:9", 200, null))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(ExotelCallSource.class).hasSingleBean(RequestBudget.class);
				assertThat(context.getBean(CallSource.class)).isSameAs(context.getBean(RecordingSource.class));
				assertThat(context.getBean(ExotelConnections.class).accountSids()).containsExactly(SandboxAccounts.ACCOUNT);
				assertThat(context.getBean(AccountDirectory.class).accounts()).extracting(Account::sid)
					.containsExactly(SandboxAccounts.ACCOUNT);
				context.getBean(AdapterMetrics.class);
			});
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root;
	}

}
