package io.exogate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.ExotelCallSource;
import io.exogate.exotel.ExotelProperties;
import io.exogate.exotel.Region;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class UpstreamConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(UpstreamConfiguration.class)
		.withConfiguration(AutoConfigurations.of(io.exogate.exotel.ExotelAutoConfiguration.class));

	@Test
	void withNoAccountTheEmbeddedSandboxServesTheDemoAccount() {
		this.runner.run((context) -> {
			UpstreamConfiguration.Upstreams upstreams = context.getBean(UpstreamConfiguration.Upstreams.class);
			assertThat(upstreams.embedded()).isTrue();
			assertThat(context.getBean(ExotelProperties.class).accounts()).extracting(ExotelProperties.Account::sid)
				.containsExactly("exogate-demo");
			var page = context.getBean(ExotelCallSource.class).search("exogate-demo", CallQuery.any(), PageRequest.first(5)).block();
			assertThat(page.calls()).hasSize(5);
			assertThat(upstreams.sandbox().stats().get("v1.calls.list")).isEqualTo(1);
		});
	}

	@Test
	void exotelEnvironmentVariablesSelectARealAccount() {
		this.runner.withPropertyValues("EXOTEL_ACCOUNT_SID=acme", "EXOTEL_API_KEY=key", "EXOTEL_API_TOKEN=token",
				"EXOTEL_V4_TOKEN=v4", "EXOTEL_REGION=mumbai", "EXOTEL_V4_BASE_URL=http://127.0.0.1:8090",
				"exogate.exotel.budget.max-wait=3s")
			.run((context) -> {
				assertThat(context.getBean(UpstreamConfiguration.Upstreams.class).embedded()).isFalse();
				ExotelProperties properties = context.getBean(ExotelProperties.class);
				ExotelProperties.Account account = properties.account("acme");
				assertThat(account.region()).isEqualTo(Region.MUMBAI);
				assertThat(account.baseUrl(ApiVersion.V1)).isEqualTo(URI.create("https://api.in.exotel.com"));
				assertThat(account.baseUrl(ApiVersion.V4)).isEqualTo(URI.create("http://127.0.0.1:8090"));
				assertThat(properties.budget().maxWait()).hasSeconds(3);
			});
	}

	@Test
	void configuredAccountsWinAndBadOnesStopTheStartWithTheKeyNamed() {
		this.runner.withPropertyValues("exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].api-key=k",
				"exogate.exotel.accounts[0].api-token=t", "exogate.exotel.accounts[0].v4-token=v")
			.run((context) -> assertThat(context.getBean(ExotelProperties.class).account("acme")).isNotNull());
		this.runner.withPropertyValues("exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].api-key=k",
				"exogate.exotel.accounts[0].api-token=t", "exogate.exotel.accounts[0].v4-token=v",
				"exogate.exotel.accounts[0].requests-per-minute=0")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = context.getStartupFailure();
				while (root.getCause() != null) {
					root = root.getCause();
				}
				assertThat(root).hasMessageContaining("requests-per-minute must be at least 1");
			});
		this.runner.withPropertyValues("EXOTEL_ACCOUNT_SID=acme", "EXOTEL_API_KEY=key", "EXOTEL_API_TOKEN=token",
				"EXOTEL_V4_TOKEN=v4", "EXOTEL_REGION=Mars")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void theDefaultRegionIsCheckedAtStart() {
		this.runner.run((context) -> assertThat(context.getBean(ExotelProperties.class).defaultRegion()).isEqualTo("IN"));
		this.runner.withPropertyValues("EXOTEL_ACCOUNT_SID=acme", "EXOTEL_API_KEY=key", "EXOTEL_API_TOKEN=token",
				"EXOTEL_V4_TOKEN=v4", "exogate.exotel.default-region=sg")
			.run((context) -> assertThat(context.getBean(ExotelProperties.class).defaultRegion()).isEqualTo("SG"));
		for (String[] values : List.of(new String[] { "EXOTEL_ACCOUNT_SID=acme", "EXOTEL_API_KEY=key", "EXOTEL_API_TOKEN=token",
				"EXOTEL_V4_TOKEN=v4", "exogate.exotel.default-region=XX" },
				new String[] { "exogate.exotel.accounts[0].sid=acme", "exogate.exotel.accounts[0].api-key=k",
						"exogate.exotel.accounts[0].api-token=t", "exogate.exotel.accounts[0].v4-token=v",
						"exogate.exotel.default-region=India" })) {
			this.runner.withPropertyValues(values).run((context) -> {
				assertThat(context).hasFailed();
				Throwable root = context.getStartupFailure();
				while (root.getCause() != null) {
					root = root.getCause();
				}
				assertThat(root).hasMessageContaining("exogate.exotel.default-region must be an ISO 3166 two-letter country code");
			});
		}
	}

}
