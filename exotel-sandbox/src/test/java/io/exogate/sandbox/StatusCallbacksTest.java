package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class StatusCallbacksTest {

	@Test
	void aCallThatEndsIsPostedFormEncodedWithItsLegs() throws Exception {
		LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
		DisposableServer receiver = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive().aggregate().asString().doOnNext(received::add)
				.then(response.status(200).send()))
			.bindNow();
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder()
			.callsPerAccount(10)
			.statusCallbackUrl(URI.create("http://127.0.0.1:" + receiver.port() + "/status?secret=s"))
			.build())) {
			clock.advance(Duration.ofMinutes(10));
			String form = received.poll(15, TimeUnit.SECONDS);
			assertThat(form).as("a callback within 15 s").isNotNull();
			Map<String, List<String>> fields = new QueryStringDecoder(form, false).parameters();
			assertThat(fields.keySet()).contains("CallSid", "Status", "RecordingUrl", "EventType", "DateCreated", "DateUpdated",
					"To", "From", "PhoneNumberSid", "StartTime", "EndTime", "ConversationDuration", "Direction", "CustomField",
					"Legs[0][OnCallDuration]", "Legs[0][Status]", "Legs[0][AnsweredBy]", "Legs[1][Status]");
			assertThat(fields.get("EventType")).containsExactly("terminal");
			String sid = fields.get("CallSid").get(0);
			assertThat(new SandboxClient(sandbox).v1("/Calls/" + sid + ".json").statusCode()).isEqualTo(200);
		}
		finally {
			receiver.disposeNow();
		}
	}

	@Test
	void eachAccountsCallbacksGoToItsOwnUrl() throws Exception {
		LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
		DisposableServer receiver = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive().aggregate().asString()
				.doOnNext((form) -> received.add(request.uri() + " " + form))
				.then(response.status(200).send()))
			.bindNow();
		SettableClock clock = new SettableClock(SandboxTestSupport.START);
		try (Sandbox sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder()
			.callsPerAccount(10)
			.statusCallbackUrl(URI.create("http://127.0.0.1:" + receiver.port() + "/hooks/%7Baccount%7D/status?secret=s"))
			.build())) {
			clock.advance(Duration.ofMinutes(10));
			for (int i = 0; i < 2; i++) {
				String post = received.poll(15, TimeUnit.SECONDS);
				assertThat(post).as("a callback within 15 s").isNotNull();
				String sid = new QueryStringDecoder(post.substring(post.indexOf(' ') + 1), false).parameters().get("CallSid").get(0);
				String account = post.substring("/hooks/".length(), post.indexOf("/status"));
				assertThat(account).isIn("exogate-demo", "exogate-demo-2");
				String key = account.equals("exogate-demo") ? "demo-key" : "demo2-key";
				String token = account.equals("exogate-demo") ? "demo-token" : "demo2-token";
				assertThat(new SandboxClient(sandbox).get("/v1/Accounts/" + account + "/Calls/" + sid + ".json",
						SandboxClient.basic(key, token)).statusCode())
					.as("the call of %s is the account's own", post).isEqualTo(200);
			}
			received.clear();
			sandbox.sendStatusCallbacks(Map.of("exogate-demo-2",
					URI.create("http://127.0.0.1:" + receiver.port() + "/only-two/status?secret=t")));
			clock.advance(Duration.ofMinutes(10));
			// Callbacks of the first URLs may still be on their way; the new URL's come after them.
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			String post;
			do {
				post = received.poll(1, TimeUnit.SECONDS);
			}
			while ((post == null || !post.startsWith("/only-two/")) && System.nanoTime() < deadline);
			assertThat(post).as("a callback to the new URL within 15 s").isNotNull().startsWith("/only-two/status?secret=t ");
		}
		finally {
			receiver.disposeNow();
		}
	}

}
