package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.e2e.LoadSupport.Answer;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Twenty seconds of clients that go away mid-request (after a random 0 to 400 ms, some with a
 * reset), mixed with clients that read their answer: fan-out pages, single recordings, filtered
 * searches and requests waiting for a tiny budget. Going away is normal; the log stays quiet.
 */
class DisconnectingClientsTest {

	private static final String SECOND_ACCOUNT = "exogate-demo-2";

	private static final Duration LOAD = Duration.ofSeconds(20);

	private static final Duration DEADLINE = Duration.ofSeconds(4);

	private static final int CLIENTS = 6;

	/** Per client thread, whatever the time: the loops end by themselves. */
	private static final int MAX_REQUESTS = 2000;

	@Test
	void twentySecondsOfClientsDisconnectingMidRequestLogNoWarningOrError() throws Exception {
		HttpClient http = LoadSupport.http();
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(14).rateLimitPerMinute(100_000).build())) {
			List<String> sids = LoadSupport.callSids(http, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token");
			List<String> secondSids = LoadSupport.callSids(http, sandbox, SECOND_ACCOUNT, "demo2-key", "demo2-token");
			sandbox.reset();
			E2eSupport.faults(sandbox, "POST", "{\"v1\":{\"latencyMs\":300},\"v3\":{\"latencyMs\":300},\"v4\":{\"latencyMs\":300}}");
			Map<String, String> settings = new HashMap<>();
			settings.putAll(LoadSupport.account(0, sandbox, E2eSupport.ACCOUNT, "demo-key", "demo-token", "demo-v4-token", 100_000));
			// One a second: past its burst, requests queue for a token (within their deadline) or are refused at once.
			settings.putAll(LoadSupport.account(1, sandbox, SECOND_ACCOUNT, "demo2-key", "demo2-token", "demo2-v4-token", 60));
			settings.put("exogate.request.deadline", DEADLINE.toSeconds() + "s");
			try (ConfigurableApplicationContext gateway = LoadSupport.gateway(settings)) {
				int port = LoadSupport.port(gateway);
				ListAppender<ILoggingEvent> log = capture();
				try {
					List<String> queries = queries(sids, secondSids);
					Load load = load(port, http, queries);
					System.out.printf("Disconnecting clients: %d aborted, %d read to the end, answers by code %s, sandbox %s%n",
							load.aborted.get(), load.completed.get(), load.codes(), sandbox.stats());

					Answer after = LoadSupport.post(http, port,
							"{ calls(first: 5, account: \"" + E2eSupport.ACCOUNT + "\") { edges { node { sid status } } } }")
						.get(30, TimeUnit.SECONDS);

					SoftAssertions softly = new SoftAssertions();
					softly.assertThat(after.errors()).as("a normal query afterwards: %s", after).isEmpty();
					softly.assertThat(after.data("calls").path("edges").values()).as("a normal query afterwards: %s", after).hasSize(5);
					softly.assertThat(load.failures).as("answers read to the end").isEmpty();
					softly.assertThat(load.aborted.get()).as("clients that went away").isGreaterThan(100);
					softly.assertThat(load.completed.get()).as("clients that read their answer").isGreaterThan(20);
					softly.assertThat(load.codes()).as("requests over the second account's budget were refused").containsKey("RATE_LIMITED");
					// What was under way when the load stopped ends by its deadline: nothing may be logged meanwhile either.
					softly.assertThatCode(() -> await().during(DEADLINE.plusMillis(500))
						.atMost(DEADLINE.plusSeconds(5))
						.pollInterval(Duration.ofMillis(200))
						.failFast("a line was logged", () -> assertThat(noisy(log)).isEmpty())
						.until(() -> true))
						.doesNotThrowAnyException();
					softly.assertThat(noisy(log)).as("log lines at WARN or ERROR, with a stack trace, or of onErrorDropped").isEmpty();
					softly.assertAll();
				}
				finally {
					root().detachAppender(log);
				}
			}
		}
	}

	private static List<String> queries(List<String> sids, List<String> secondSids) {
		String account = "account: \"" + E2eSupport.ACCOUNT + "\"";
		List<String> queries = new ArrayList<>();
		queries.add("{ calls(first: 40, " + account + ") { edges { node { sid status recording { url } agent { name } } } } }");
		queries.add("{ calls(first: 20, " + account + ", filter: { statuses: [COMPLETED], direction: INBOUND }) "
				+ "{ edges { node { sid from price { amount } } } } }");
		queries.add("{ calls(first: 20, " + account + ", filter: { agentId: \"agent_002\", statuses: [MISSED, COMPLETED] }) "
				+ "{ edges { node { sid customer { number } recording { status url } } } } }");
		queries.add("{ calls(first: 10, " + account + ", filter: { hasRecording: true, sort: OLDEST_FIRST }) "
				+ "{ edges { node { sid recording { url expiresAt } } } pageInfo { endCursor } } }");
		for (int i = 0; i < 40; i++) {
			queries.add("{ recording(callSid: \"" + sids.get(i) + "\", " + account + ") { status url } }");
		}
		for (int i = 40; i < 50; i++) {
			queries.add("{ call(sid: \"" + sids.get(i) + "\", " + account + ") { sid from agent { name } timeline { type at } "
					+ "legs { id } recording { url } } }");
		}
		for (int i = 0; i < 40; i++) {
			queries.add("{ call(sid: \"" + secondSids.get(i) + "\", account: \"" + SECOND_ACCOUNT + "\") { sid status } }");
		}
		return queries;
	}

	/** What the client threads saw. */
	private record Load(AtomicInteger aborted, AtomicInteger completed, ConcurrentLinkedQueue<String> failures,
			ConcurrentLinkedQueue<String> answered) {

		Map<String, Long> codes() {
			Map<String, Long> codes = new HashMap<>();
			this.answered.forEach((code) -> codes.merge(code, 1L, Long::sum));
			return codes;
		}

	}

	private static Load load(int port, HttpClient http, List<String> queries) throws Exception {
		Load load = new Load(new AtomicInteger(), new AtomicInteger(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
		long end = System.nanoTime() + LOAD.toNanos();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				SplittableRandom random = new SplittableRandom(1000 + c);
				running.add(clients.submit(() -> {
					for (int i = 0; i < MAX_REQUESTS && System.nanoTime() < end; i++) {
						String query = queries.get(random.nextInt(queries.size()));
						if (random.nextInt(4) == 0) {
							complete(http, port, query, load);
						}
						else {
							abort(port, query, random);
							load.aborted.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> client : running) {
				client.get(LOAD.plusSeconds(40).toSeconds(), TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		return load;
	}

	private static void complete(HttpClient http, int port, String query, Load load) {
		try {
			Answer answer = LoadSupport.post(http, port, query).get(30, TimeUnit.SECONDS);
			load.completed.incrementAndGet();
			if (answer.status() != 200 || answer.codes().contains("INTERNAL_ERROR") || answer.codes().contains("CANCELLED")) {
				load.failures.add(query + " -> " + answer);
			}
			answer.codes().forEach(load.answered::add);
			if (answer.codes().isEmpty()) {
				load.answered.add("none");
			}
		}
		catch (Exception ex) {
			load.failures.add(query + " -> " + ex);
		}
	}

	/** Sends the POST over a raw socket, reads for 0 to 400 ms, and goes away: half the time with a reset. */
	private static void abort(int port, String query, SplittableRandom random) {
		byte[] body = LoadSupport.body(query).getBytes(StandardCharsets.UTF_8);
		byte[] head = ("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
				+ E2eSupport.KEY_HEADER + ": " + E2eSupport.KEY + "\r\n"
				+ "Accept: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		long leaveAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(401));
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			if (random.nextBoolean()) {
				socket.setSoLinger(true, 0);
			}
			OutputStream out = socket.getOutputStream();
			out.write(head);
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			long left;
			while ((left = TimeUnit.NANOSECONDS.toMillis(leaveAt - System.nanoTime())) > 0) {
				socket.setSoTimeout((int) left);
				if (in.read(buffer) < 0) {
					break;
				}
			}
		}
		catch (SocketTimeoutException leaving) {
			// The client's patience ran out: it goes away, which is the point.
		}
		catch (IOException ex) {
			// The server closed first; nothing to do.
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

	private static Logger root() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	private static List<String> noisy(ListAppender<ILoggingEvent> log) {
		return log.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN) || event.getThrowableProxy() != null
					|| event.getFormattedMessage().contains("onErrorDropped") || event.getFormattedMessage().contains("\tat "))
			.map((event) -> event.getLevel() + " " + event.getLoggerName() + " [" + event.getThreadName() + "] "
					+ event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? " | " + event.getThrowableProxy().getClassName() + ": "
							+ event.getThrowableProxy().getMessage() : ""))
			.toList();
	}

}
