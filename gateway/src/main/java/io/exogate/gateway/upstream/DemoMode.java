package io.exogate.gateway.upstream;

import io.exogate.gateway.webhook.WebhookSecrets;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxAccount;
import io.exogate.sandbox.SandboxSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Demo mode: when no Exotel account is configured (nothing under {@code exogate.exotel.accounts},
 * no {@code EXOTEL_*} variable), starts the embedded sandbox and hands its demo account to the
 * adapters as {@code exogate.exotel.accounts[0].*} properties of highest precedence, before any
 * bean binds them; the sandbox closes with the context. Says so loudly at start, and refuses to
 * start instead when {@code exogate.demo.enabled=false}. Anything configured, even partly, is
 * left to the adapters, which bind it or stop the start naming what is missing.
 */
final class DemoMode implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

	/** The property source carrying the sandbox's account. */
	static final String PROPERTY_SOURCE = "exogateDemoSandbox";

	/** The embedded sandbox's bean, in demo mode only. */
	static final String SANDBOX_BEAN = "exogateDemoSandbox";

	private static final String MODE_BEAN = "exogateUpstreamMode";

	private static final ConfigurationPropertyName ACCOUNTS = ConfigurationPropertyName.of("exogate.exotel.accounts");

	private static final String PREFIX = "EXOTEL_";

	private static final Logger logger = LoggerFactory.getLogger(DemoMode.class);

	private ConfigurableEnvironment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = (ConfigurableEnvironment) environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (accountConfigured(this.environment)) {
			beanFactory.registerSingleton(MODE_BEAN, UpstreamMode.EXOTEL);
			return;
		}
		if (!Binder.get(this.environment).bind("exogate.demo.enabled", Boolean.class).orElse(true)) {
			throw new FailureAnalyzedException("exogate.demo.enabled=false and no Exotel account is configured: set"
					+ " EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN, or exogate.exotel.accounts",
					"Set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN (EXOTEL_REGION and"
							+ " EXOTEL_V1_BASE_URL, EXOTEL_V3_BASE_URL, EXOTEL_V4_BASE_URL are optional) for one account,"
							+ " or configure several under exogate.exotel.accounts. Leave exogate.demo.enabled unset to"
							+ " serve the embedded sandbox's demo data instead.");
		}
		if (!(beanFactory instanceof DefaultListableBeanFactory registry)) {
			throw new IllegalStateException("Demo mode closes its sandbox with a DefaultListableBeanFactory, not "
					+ beanFactory.getClass().getName());
		}
		Sandbox sandbox = Sandbox.start(SandboxSettings.defaults());
		registry.registerDisposableBean(SANDBOX_BEAN, sandbox::close);
		registry.registerSingleton(SANDBOX_BEAN, sandbox);
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE, properties(sandbox.settings().accounts(), sandbox.baseUrl())));
		registry.registerSingleton(MODE_BEAN, UpstreamMode.DEMO);
		logger.warn("""

				==================================================================================
				  DEMO MODE: no Exotel account is configured. Serving the embedded sandbox at
				  {} (accounts {}): every call and recording is generated
				  sandbox data, not Exotel's. Clients send the demo key exogate-demo-key in X-API-Key.
				  To use Exotel, set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and
				  EXOTEL_V4_TOKEN, or configure exogate.exotel.accounts.
				  To refuse to start without an account, set exogate.demo.enabled=false
				  (environment: EXOGATE_DEMO_ENABLED=false).
				==================================================================================""",
				sandbox.baseUrl(), String.join(", ", sandbox.settings().accounts().stream().map(SandboxAccount::sid).toList()));
	}

	/** Whether anything names an Exotel account: a property under {@code exogate.exotel.accounts} or an {@code EXOTEL_*} variable. */
	static boolean accountConfigured(ConfigurableEnvironment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(ACCOUNTS) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable && Arrays.stream(enumerable.getPropertyNames())
				.anyMatch((name) -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))) {
				return true;
			}
		}
		return false;
	}

	/** The sandbox's accounts, every API version pointed at the sandbox. */
	private static Map<String, Object> properties(List<SandboxAccount> accounts, String baseUrl) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (int i = 0; i < accounts.size(); i++) {
			SandboxAccount account = accounts.get(i);
			String prefix = "exogate.exotel.accounts[" + i + "].";
			properties.put(prefix + "sid", account.sid());
			properties.put(prefix + "api-key", account.apiKey());
			properties.put(prefix + "api-token", account.apiToken());
			properties.put(prefix + "v4-token", account.v4Token());
			properties.put(prefix + "base-urls.v1", baseUrl);
			properties.put(prefix + "base-urls.v3", baseUrl);
			properties.put(prefix + "base-urls.v4", baseUrl);
			// A fresh secret per start: the sandbox's callbacks to the gateway carry it, nobody else knows it.
			properties.put(prefix + "callback-secret", WebhookSecrets.random());
		}
		return properties;
	}

}
