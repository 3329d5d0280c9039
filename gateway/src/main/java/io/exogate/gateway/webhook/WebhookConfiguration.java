package io.exogate.gateway.webhook;

import io.exogate.gateway.http.PublicBaseUrl;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.events.EventsConfiguration;
import io.exogate.gateway.export.ExportEvents;
import io.exogate.gateway.export.ExportForwarder;
import io.exogate.gateway.export.ExportStore;
import io.exogate.gateway.export.Exports;
import io.exogate.gateway.export.InProcessExportStore;
import io.exogate.gateway.export.RedisExportStore;
import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.redis.RedisCommands;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants;
import io.exogate.sandbox.Sandbox;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Exotel's callbacks to the gateway: the accounts' secrets, call states and export states (in
 * Redis when configured, in process otherwise), and the two webhooks. In demo mode the embedded
 * sandbox's status callbacks are pointed at the gateway's own webhook, once its port is known.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(WebhookConfiguration.class);

	@Bean
	WebhookSecrets webhookSecrets(Environment environment) {
		WebhookSecrets secrets = WebhookSecrets.bind(environment);
		logger.info("Exotel callbacks are taken for accounts {} (secrets from exogate.exotel.accounts[].callback-secret or {})",
				secrets.accounts(), WebhookSecrets.VARIABLE);
		return secrets;
	}

	@Bean
	WebhookSecretMask webhookSecretMask() {
		return new WebhookSecretMask();
	}

	@Bean
	WebhookLinks webhookLinks(WebhookSecrets secrets, Environment environment) {
		return new WebhookLinks(secrets, environment);
	}

	@Bean
	CallStates callStates(ObjectProvider<RedisClient> redis, WebhookProperties properties, CacheProperties cache,
			Environment environment, Clock clock) {
		RedisClient client = redis.getIfAvailable();
		InProcessCallStates local = new InProcessCallStates(clock, properties.callStateTtl(), properties.maxCallStates());
		if (client == null) {
			return local;
		}
		return new RedisCallStates(new RedisCommands(client, EventsConfiguration.uri(cache, environment)), properties.callStateTtl(),
				cache.redisTimeout(), local);
	}

	@Bean
	ExportStore exportStore(ObjectProvider<RedisClient> redis, WebhookProperties properties, CacheProperties cache,
			Environment environment, Clock clock) {
		RedisClient client = redis.getIfAvailable();
		if (client == null) {
			return new InProcessExportStore(clock, properties.exportTtl(), properties.maxExports());
		}
		return new RedisExportStore(new RedisCommands(client, EventsConfiguration.uri(cache, environment)), properties.exportTtl(),
				cache.redisTimeout());
	}

	@Bean
	ExportEvents exportEvents(ObjectProvider<RedisClient> redis, CacheProperties cache, Environment environment) {
		RedisClient client = redis.getIfAvailable();
		return (client != null)
				? ExportEvents.over(ExportEvents.relay(client, EventsConfiguration.uri(cache, environment), cache.redisTimeout()))
				: ExportEvents.inProcess();
	}

	@Bean
	Exports exports(ExportStore store, ExportEvents events, ExportCallbacks callbacks, Tenants tenants, Audit audit,
			WebhookProperties properties, Clock clock) {
		return new Exports(store, events, new ExportForwarder(callbacks, tenants, audit, properties.deliveryAttempts(),
				properties.deliveryBackoff(), properties.deliveryTimeout()), clock);
	}

	@Bean
	StatusWebhook statusWebhook(WebhookSecrets secrets, Audit audit, CallStates states, Tenants tenants,
			RecordingService recordings, CallEvents events, Clock clock) {
		return new StatusWebhook(secrets, audit, states, tenants, recordings.cache(), events, clock);
	}

	@Bean
	ExportWebhook exportWebhook(WebhookSecrets secrets, Audit audit, Exports exports) {
		return new ExportWebhook(secrets, audit, exports);
	}

	@Bean
	RouterFunction<ServerResponse> webhookRoutes(StatusWebhook status, ExportWebhook export) {
		return RouterFunctions.route(RequestPredicates.POST(WebhookLinks.STATUS), status::handle)
			.andRoute(RequestPredicates.POST(WebhookLinks.EXPORT), export::handle);
	}

	/**
	 * Outside demo mode, Exotel must reach the links it is given: built on the gateway's own address
	 * they cannot arrive (say so once, at start), and over plain HTTP their secret travels in the clear.
	 */
	@Bean
	ApplicationListener<WebServerInitializedEvent> webhookAddressCheck(ObjectProvider<Sandbox> sandbox, WebhookSecrets secrets,
			Environment environment) {
		return (event) -> {
			if (sandbox.getIfAvailable() != null || secrets.accounts().isEmpty()) {
				return;
			}
			String configured = environment.getProperty(PublicBaseUrl.PROPERTY);
			if (configured == null || configured.isBlank()) {
				logger.warn("Exotel's callbacks (status and export) are given the gateway's own address {}: set {} to the"
						+ " https address Exotel reaches the gateway at, or exports will never hear back",
						PublicBaseUrl.of(environment), PublicBaseUrl.PROPERTY);
			}
			else if (!configured.startsWith("https://")) {
				logger.warn("{} is not https: the callback secret in Exotel's callback links travels in the clear",
						PublicBaseUrl.PROPERTY);
			}
		};
	}

	/** Demo mode: the embedded sandbox calls the gateway back, each account on its own secret. */
	@Bean
	ApplicationListener<WebServerInitializedEvent> demoStatusCallbacks(ObjectProvider<Sandbox> sandbox, WebhookLinks links,
			WebhookSecrets secrets) {
		return (event) -> sandbox.ifAvailable((demo) -> {
			Map<String, URI> urls = new LinkedHashMap<>();
			for (String account : secrets.accounts()) {
				urls.put(account, links.status(account));
			}
			demo.sendStatusCallbacks(urls);
			logger.info("Demo mode: the sandbox sends status callbacks to {}", urls.values().stream()
				.map((url) -> WebhookLinks.masked(url.toString())).toList());
		});
	}

}
