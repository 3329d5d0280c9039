package io.exogate.gateway.response;

import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.security.Audit;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;

/** The whole-response cache, on unless {@code exogate.response-cache.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResponseCacheProperties.class)
@ConditionalOnProperty(name = "exogate.response-cache.enabled", havingValue = "true", matchIfMissing = true)
public class ResponseCacheConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ResponseCacheConfiguration.class);

	@Bean
	ResponseCache responseCache(Clock clock, CacheProperties cache, ResponseCacheProperties properties, CallEvents events) {
		return new ResponseCache(clock, cache.safetyMargin(), properties, events::live, events::outages);
	}

	/**
	 * Every call event (a status callback here or on another instance) drops the answers holding the call.
	 * A link refreshed early (its media host answered 403) is published as a call event too, so that every
	 * instance drops the answers built on the old link.
	 */
	@Bean(destroyMethod = "dispose")
	Disposable responseCacheEvictions(CallEvents events, ResponseCache cache, RecordingService recordings) {
		recordings.onRefresh((account, callSid) -> events.publish(new CallEvent(account, callSid, false, false)));
		return events.events().subscribe((event) -> cache.evict(event.account(), event.callSid()), (error) -> {
			// Without call events nothing kept could be dropped in time: the cache stops serving.
			cache.deafened();
			logger.warn("The response cache stopped listening to call events ({}): it serves nothing from now on",
					error.getClass().getSimpleName());
		});
	}

	@Bean
	ResponseCacheInterceptor responseCacheInterceptor(ResponseCache cache, Audit audit) {
		return new ResponseCacheInterceptor(cache, audit);
	}

	@Bean
	ResponseCacheInstrumentation responseCacheInstrumentation() {
		return new ResponseCacheInstrumentation();
	}

}
