package io.exogate.exotel;

import io.exogate.exotel.v1.V1Client;
import io.exogate.exotel.v3.V3Client;
import io.exogate.exotel.v4.V4Client;
import io.exogate.model.port.AccountDirectory;
import io.exogate.model.port.MediaCredentials;
import io.exogate.model.port.RecordingLinks;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The Exotel adapters, for the accounts under {@code exogate.exotel.accounts} or else the one of
 * the {@code EXOTEL_*} environment variables (bound when the application provides no
 * {@link ExotelProperties} of its own); without any, the start fails saying what to set. The
 * request budget lives in Redis when a Lettuce {@link RedisClient} bean exists, in process otherwise.
 */
@AutoConfiguration
public class ExotelAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExotelProperties exotelProperties(Environment environment) {
		return ExotelBinding.bind(environment);
	}

	@Bean
	@ConditionalOnMissingBean(AccountDirectory.class)
	AccountDirectory exotelAccountDirectory(ExotelProperties properties) {
		return new ExotelAccountDirectory(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	AdapterMetrics exotelAdapterMetrics(ObjectProvider<MeterRegistry> registry) {
		return new AdapterMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Bean
	@ConditionalOnMissingBean
	RequestBudget exotelRequestBudget(ExotelProperties properties, AdapterMetrics metrics,
			ObjectProvider<RedisClient> redis) {
		RedisClient client = redis.getIfAvailable();
		return (client != null) ? RequestBudget.redis(client, properties, metrics) : RequestBudget.inProcess(properties, metrics);
	}

	@Bean
	@ConditionalOnMissingBean
	ExotelConnections exotelConnections(ExotelProperties properties, RequestBudget budget, AdapterMetrics metrics) {
		return new ExotelConnections(properties, budget, metrics);
	}

	@Bean
	@ConditionalOnMissingBean(RecordingLinks.class)
	MediaLinks exotelMediaLinks(ObjectProvider<org.springframework.web.reactive.function.client.WebClient.Builder> builder) {
		return new MediaLinks(builder.getIfAvailable(org.springframework.web.reactive.function.client.WebClient::builder),
				java.time.Duration.ofSeconds(5));
	}

	@Bean
	@ConditionalOnMissingBean(MediaCredentials.class)
	ExotelMediaCredentials exotelMediaCredentials(ExotelProperties properties) {
		return new ExotelMediaCredentials(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ExotelCallSource exotelCallSource(ExotelConnections connections, ObjectProvider<Clock> clock) {
		Clock resolved = clock.getIfAvailable(Clock::systemUTC);
		return new ExotelCallSource(new V1Client(connections, resolved), new V3Client(connections, resolved),
				new V4Client(connections, resolved));
	}

}
