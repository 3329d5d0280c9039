package io.exogate.gateway.persisted;

import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.redis.CacheConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Persisted operations on {@code spring.graphql.http.path}: the trusted-documents manifest when
 * {@code exogate.persisted-queries.trusted-documents} is set (read and checked here, so a bad one
 * stops the start), else automatic persisted queries, kept in Redis when the gateway has a Lettuce
 * client and in process otherwise, unless {@code exogate.persisted-queries.automatic=false}; and the
 * same rules for documents sent over the WebSocket ({@link WebSocketDocuments}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ PersistedQueryProperties.class, CacheProperties.class })
public class PersistedQueryConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PersistedQueryConfiguration.class);

	@Bean
	PersistedQueryStore persistedQueryStore(PersistedQueryProperties properties, ObjectProvider<RedisClient> redis,
			CacheProperties cache, Environment environment, ObjectProvider<Clock> clock) {
		RedisClient client = redis.getIfAvailable();
		if (client == null) {
			return new InProcessPersistedQueryStore(clock.getIfAvailable(Clock::systemUTC), properties.maxEntries(), properties.ttl());
		}
		RedisURI uri = RedisURI.create(CacheConfiguration.redisUrl(cache, environment));
		uri.setTimeout(cache.redisTimeout());
		return new RedisPersistedQueryStore(client, uri, properties.ttl(), properties.maxEntries(), cache.redisTimeout());
	}

	@Bean
	PersistedDocuments persistedDocuments(PersistedQueryProperties properties, PersistedQueryStore store,
			Environment environment, ResourceLoader resources) {
		String path = environment.getProperty("spring.graphql.http.path", "/graphql");
		if (properties.trustedDocuments() != null) {
			TrustedDocuments documents = TrustedDocuments.read(resources.getResource(properties.trustedDocuments()));
			logger.info("Only trusted documents run: {} from {}", documents.size(), properties.trustedDocuments());
			return PersistedDocuments.trusted(path, documents);
		}
		if (!properties.automatic()) {
			logger.info("Persisted queries are off: documents are sent in full");
			return PersistedDocuments.off(path);
		}
		logger.info("Automatic persisted queries are kept {}", (store instanceof RedisPersistedQueryStore) ? "in Redis" : "in process");
		return PersistedDocuments.automatic(path, store);
	}

	@Bean
	WebSocketDocuments webSocketDocuments(PersistedDocuments documents) {
		return new WebSocketDocuments(documents.trustedDocuments());
	}

}
