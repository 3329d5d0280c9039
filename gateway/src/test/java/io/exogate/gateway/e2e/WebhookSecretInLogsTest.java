package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.TestSecrets;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With Spring's web logging at DEBUG, which writes each request's method, path and query, a
 * webhook's {@code ?secret=} appears in no log line, and the webhook still takes the right secret
 * and refuses a wrong one.
 */
class WebhookSecretInLogsTest {

	static final String SECRET = TestSecrets.register("webhook-debug-secret-8d2f61a0");

	static final String WRONG = TestSecrets.register("webhook-wrong-secret-51c7e3b9");

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(53).build());

	static final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	static final Logger web = (Logger) LoggerFactory.getLogger("org.springframework.web");

	static Level before;

	static ConfigurableApplicationContext gateway;

	static int port;

	@BeforeAll
	static void start() {
		Map<String, String> properties = new HashMap<>(
				LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token", "demo-v4-token", 100_000));
		properties.put("exogate.exotel.accounts[0].callback-secret", SECRET);
		gateway = LoadSupport.gateway(properties);
		port = LoadSupport.port(gateway);
		before = web.getLevel();
		web.setLevel(Level.DEBUG);
		logged.start();
		root().addAppender(logged);
	}

	@AfterAll
	static void stop() {
		root().detachAppender(logged);
		web.setLevel(before);
		if (gateway != null) {
			gateway.close();
		}
		sandbox.close();
	}

	@Test
	void aWebhooksSecretIsInNoDebugLine() {
		E2eSupport.Answer accepted = WebhookSupport.post(port, E2eSupport.ACCOUNT, "status", SECRET, WebhookSupport.FORM,
				WebhookSupport.form(WebhookSupport.answered("c0ffee0000000000000000000000secret", "2026-11-23 10:00:05")));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(204);
		E2eSupport.Answer refused = WebhookSupport.post(port, E2eSupport.ACCOUNT, "status", WRONG, WebhookSupport.FORM,
				WebhookSupport.form(WebhookSupport.answered("c0ffee0000000000000000000000secret", "2026-11-23 10:00:05")));
		assertThat(refused.status()).isEqualTo(401);
		E2eSupport.Answer export = WebhookSupport.post(port, E2eSupport.ACCOUNT, "export", SECRET, "application/json",
				"{\"export_id\":\"exp_none\",\"status\":\"completed\",\"download_url\":\"https://x.example/a.zip\"}");
		assertThat(export.status()).as("the export webhook takes the secret too").isEqualTo(404);

		assertThat(snapshot(logged)).as("Spring's DEBUG line for the webhook requests was written")
			.anySatisfy((event) -> assertThat(event.getFormattedMessage()).contains("HTTP POST \"/webhooks/exotel/"));
		for (String secret : new String[] { SECRET, WRONG, URLEncoder.encode(SECRET, StandardCharsets.UTF_8) }) {
			assertThat(snapshot(logged)).as("no line holds a secret").noneSatisfy((event) -> assertThat(event.getFormattedMessage()).contains(secret));
		}
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	/** What was logged so far: the server may still be appending while the test reads. */
	private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> snapshot(
			ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
		synchronized (appender) {
			return new java.util.ArrayList<>(appender.list);
		}
	}

}
