package io.exogate.gateway.subscription;

import io.exogate.gateway.call.CallViews;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.limits.RequestLimits;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.model.port.CallSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/** Live subscriptions: the shared pollers, their limits and how their errors are answered. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubscriptionProperties.class)
public class SubscriptionConfiguration {

	@Bean
	RecordingReadiness recordingReadiness(RecordingService recordings, CallSource calls, CallEvents events,
			SubscriptionProperties properties, RequestLimits limits) {
		return new RecordingReadiness(recordings, calls, events, properties, limits.deadline(), Schedulers.parallel());
	}

	@Bean
	LiveCalls liveCalls(CallSource calls, CallViews views, CallEvents events, SubscriptionProperties properties, RequestLimits limits) {
		return new LiveCalls(calls, views, events, properties, limits.deadline(), Schedulers.parallel());
	}

	@Bean
	SubscriptionLimits subscriptionLimits(SubscriptionProperties properties) {
		return new SubscriptionLimits(properties);
	}

	@Bean
	SubscriptionErrors subscriptionErrors() {
		return new SubscriptionErrors();
	}

}
