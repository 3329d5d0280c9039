package io.exogate.gateway.upstream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which Exotel the gateway talks to: the accounts the adapters bind from
 * {@code exogate.exotel.accounts} or the {@code EXOTEL_*} environment variables, else, in demo
 * mode, the embedded sandbox (see {@link DemoMode}); {@code /actuator/health} says which.
 */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {

	@Bean
	static DemoMode exogateDemoMode() {
		return new DemoMode();
	}

	@Bean
	UpstreamHealthIndicator upstreamHealthIndicator(UpstreamMode mode) {
		return new UpstreamHealthIndicator(mode);
	}

}
