package io.exogate.gateway.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link CallEvents} hub. */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CallEvents callEvents() {
		return new InProcessCallEvents();
	}

}
