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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ExotelAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ExotelAutoConfiguration.class));

	@Test
	void nothingStartsWithoutAccounts() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ExotelCallSource.class)
			.doesNotHaveBean(ExotelConnections.class));
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
				assertThat(context.getBean(RecordingLinks.class)).isInstanceOf(MediaLinks.class);
				context.getBean(AdapterMetrics.class);
			});
	}

}
