package io.exogate.gateway.events;

import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.redis.CacheConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The {@link CallEvents} hub: over Redis pub/sub when Redis is configured, so that every instance hears it; in process otherwise. */
@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EventsConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	CallEvents callEvents(ObjectProvider<RedisClient> redis, CacheProperties properties, Environment environment) {
		RedisClient client = redis.getIfAvailable();
		if (client == null) {
			return new InProcessCallEvents();
		}
		logger.info("Call events are shared between instances over Redis ({})", RedisCallEvents.CHANNEL);
		return new RedisCallEvents(client, uri(properties, environment), properties.redisTimeout());
	}

	/** The Redis URI the events connect to, with the cache's command timeout. */
	public static RedisURI uri(CacheProperties properties, Environment environment) {
		RedisURI uri = RedisURI.create(CacheConfiguration.redisUrl(properties, environment));
		uri.setTimeout(properties.redisTimeout());
		return uri;
	}

}
