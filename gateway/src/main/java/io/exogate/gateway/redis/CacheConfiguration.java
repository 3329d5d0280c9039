package io.exogate.gateway.redis;

import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.recording.InProcessRecordingCache;
import io.exogate.gateway.recording.RecordingCache;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.recording.RedisRecordingCache;
import io.exogate.model.port.RecordingSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The recording cache: Redis when {@code exogate.cache.redis-url} (or {@code REDIS_URL}) is set,
 * in process otherwise. The same Lettuce client carries the adapters' shared request budget.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CacheProperties.class)
public class CacheConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CacheConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnExpression("'${exogate.cache.redis-url:${REDIS_URL:}}' != ''")
	RedisClient redisClient(CacheProperties properties, Environment environment) {
		// The client carries its URI: the shared request budget connects with it.
		RedisURI uri = RedisURI.create(redisUrl(properties, environment));
		uri.setTimeout(properties.redisTimeout());
		RedisClient client = RedisClient.create(uri);
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			// Replies are handed on from the client's computation threads, one per core, not from its single
			// I/O thread: what runs after a Redis reply (GraphQL, serialization, the answer) uses every core.
			.publishOnScheduler(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(properties.redisTimeout()))
			.build());
		return client;
	}

	@Bean
	RecordingCache recordingCache(ObjectProvider<RedisClient> redis, CacheProperties properties, Environment environment,
			Clock clock) {
		RedisClient client = redis.getIfAvailable();
		if (client == null) {
			logger.info("Recordings are cached in process (set REDIS_URL to share the cache)");
			return new InProcessRecordingCache(clock, properties.maxEntries());
		}
		RedisURI uri = RedisURI.create(redisUrl(properties, environment));
		uri.setTimeout(properties.redisTimeout());
		logger.info("Recordings are cached in Redis at {}:{}", uri.getHost(), uri.getPort());
		return new RedisRecordingCache(client, uri, properties.redisTimeout());
	}

	@Bean
	RecordingService recordingService(RecordingSource source, RecordingCache cache, CacheProperties properties, Clock clock) {
		return new RecordingService(source, cache, properties, clock);
	}

	@Bean
	CacheHealthIndicator cacheHealthIndicator(RecordingCache cache) {
		return new CacheHealthIndicator(cache);
	}

	/** The Redis URL: {@code exogate.cache.redis-url}, else {@code REDIS_URL}. */
	public static String redisUrl(CacheProperties properties, Environment environment) {
		return (properties.redisUrl() != null) ? properties.redisUrl().toString() : environment.getProperty("REDIS_URL");
	}

}
