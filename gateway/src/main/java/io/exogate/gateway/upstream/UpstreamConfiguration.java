package io.exogate.gateway.upstream;

import io.exogate.exotel.ExotelProperties;
import io.exogate.exotel.Region;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxAccount;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Decides which Exotel the gateway talks to: the accounts under {@code exogate.exotel.accounts},
 * else one account from the {@code EXOTEL_*} environment variables, else an embedded sandbox
 * started in process, serving its first demo account (the default for a first run, so that no
 * query needs to name an account).
 */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamConfiguration.class);

	@Bean
	Upstreams upstreams(Environment environment) {
		Binder binder = Binder.get(environment);
		if (binder.bind("exogate.exotel.accounts[0].sid", String.class).isBound()) {
			logger.info("Using the Exotel accounts configured under exogate.exotel.accounts");
			return new Upstreams(binder.bindOrCreate("exogate.exotel", ExotelProperties.class), null);
		}
		String accountSid = environment.getProperty("EXOTEL_ACCOUNT_SID");
		if (accountSid != null && !accountSid.isBlank()) {
			logger.info("Using Exotel account {} from the EXOTEL_* environment variables", accountSid);
			return new Upstreams(fromEnvironment(environment, accountSid, binder), null);
		}
		Sandbox sandbox = Sandbox.start(SandboxSettings.defaults());
		logger.info("No Exotel account configured: using the embedded sandbox at {} (account {})", sandbox.baseUrl(),
				sandbox.settings().accounts().get(0).sid());
		return new Upstreams(forSandbox(sandbox.baseUrl(), sandbox.settings().accounts().subList(0, 1), binder), sandbox);
	}

	@Bean
	ExotelProperties exotelProperties(Upstreams upstreams) {
		return upstreams.properties();
	}

	static ExotelProperties fromEnvironment(Environment environment, String accountSid, Binder binder) {
		String region = environment.getProperty("EXOTEL_REGION", "SINGAPORE").trim().toUpperCase(Locale.ROOT);
		Region parsed;
		try {
			parsed = Region.valueOf(region);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("EXOTEL_REGION must be SINGAPORE or MUMBAI");
		}
		ExotelProperties.BaseUrls baseUrls = new ExotelProperties.BaseUrls(url(environment, "EXOTEL_V1_BASE_URL"),
				url(environment, "EXOTEL_V3_BASE_URL"), url(environment, "EXOTEL_V4_BASE_URL"));
		ExotelProperties.Account account = new ExotelProperties.Account(accountSid.trim(), parsed,
				environment.getProperty("EXOTEL_API_KEY"), environment.getProperty("EXOTEL_API_TOKEN"),
				environment.getProperty("EXOTEL_V4_TOKEN"), baseUrls, null, null, null);
		return withAccounts(List.of(account), binder);
	}

	static ExotelProperties forSandbox(String baseUrl, List<SandboxAccount> sandboxAccounts, Binder binder) {
		URI base = URI.create(baseUrl);
		List<ExotelProperties.Account> accounts = new ArrayList<>();
		for (SandboxAccount account : sandboxAccounts) {
			accounts.add(new ExotelProperties.Account(account.sid(), null, account.apiKey(), account.apiToken(), account.v4Token(),
					new ExotelProperties.BaseUrls(base, base, base), null, null, null));
		}
		return withAccounts(accounts, binder);
	}

	/** The accounts given, with every other {@code exogate.exotel.*} setting as configured. */
	private static ExotelProperties withAccounts(List<ExotelProperties.Account> accounts, Binder binder) {
		ExotelProperties.Pool pool = binder.bind("exogate.exotel.pool", ExotelProperties.Pool.class).orElse(null);
		ExotelProperties.Resilience resilience = binder.bind("exogate.exotel.resilience", ExotelProperties.Resilience.class)
			.orElse(null);
		ExotelProperties.Budget budget = binder.bind("exogate.exotel.budget", ExotelProperties.Budget.class).orElse(null);
		Duration validity = binder.bind("exogate.exotel.recording-url-validity", Duration.class).orElse(null);
		String defaultRegion = binder.bind("exogate.exotel.default-region", String.class).orElse(null);
		return new ExotelProperties(accounts, pool, resilience, budget, validity, defaultRegion);
	}

	private static URI url(Environment environment, String name) {
		String value = environment.getProperty(name);
		return (value != null && !value.isBlank()) ? URI.create(value.trim()) : null;
	}

	/**
	 * The Exotel accounts in use and, in demo mode, the embedded sandbox serving them, closed with
	 * the application.
	 */
	public record Upstreams(ExotelProperties properties, Sandbox sandbox) implements AutoCloseable {

		/** Whether the gateway runs against its embedded sandbox. */
		public boolean embedded() {
			return this.sandbox != null;
		}

		@Override
		public void close() {
			if (this.sandbox != null) {
				this.sandbox.close();
			}
		}

	}

}
