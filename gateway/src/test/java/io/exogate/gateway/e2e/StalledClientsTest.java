package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A caller that stops sending its request body midway is answered 408 and its connection closed
 * once {@code exogate.http.read-timeout} passes, with nothing logged above DEBUG.
 */
class StalledClientsTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(20).build());

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void aCallerThatStopsSendingMidBodyGets408AndNothingIsLoggedAboveDebug() throws Exception {
		Map<String, String> settings = new HashMap<>(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token",
				"demo-v4-token", 100_000));
		settings.put("exogate.http.read-timeout", "1s");
		try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
			int port = LoadSupport.port(gateway);
			ListAppender<ILoggingEvent> log = capture();
			try {
				for (int i = 0; i < 3; i++) {
					String answer = stall(port);
					assertThat(answer).as("a stalled request is told it timed out, or simply closed").satisfiesAnyOf(
							(text) -> assertThat(text).startsWith("HTTP/1.1 408"), (text) -> assertThat(text).isEmpty());
				}
				assertThat(LoadSupport.post(LoadSupport.http(), port, "{ accounts { sid } }").get().status())
					.as("the gateway still answers").isEqualTo(200);
			}
			finally {
				root().detachAppender(log);
			}
			List<String> loud = log.list.stream()
				.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
				.map((event) -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
				.toList();
			assertThat(loud).isEmpty();
		}
	}

	/** Sends the headers and half the declared body, then waits for the server's answer or its close. */
	private static String stall(int port) throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(15_000);
			String head = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + E2eSupport.KEY_HEADER
					+ ": " + E2eSupport.KEY + "\r\nContent-Length: 100\r\n\r\n{\"query\":\"";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static ListAppender<ILoggingEvent> capture() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.list = new CopyOnWriteArrayList<>();
		appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
		appender.start();
		root().addAppender(appender);
		return appender;
	}

	private static ch.qos.logback.classic.Logger root() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

}
