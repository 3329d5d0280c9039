package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.exogate.gateway.e2e.RawGraphQlWebSocket.Outcome;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With no CORS origins configured, a browser may open the WebSocket from the gateway's own origin only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebSocketSameOriginTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults());

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void aHandshakeFromAnotherSiteIsRefusedAndOneFromTheGatewaysOwnOriginIsNot() {
		RawGraphQlWebSocket client = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY));
		Throwable refused = catchThrowable(() -> client.header("Origin", "https://evil.example").run(this.port, "{ accounts { sid } }"));
		assertThat(refused).isInstanceOf(WebSocketClientHandshakeException.class);
		assertThat(((WebSocketClientHandshakeException) refused).response().status().code()).isEqualTo(403);
		for (RawGraphQlWebSocket allowed : new RawGraphQlWebSocket[] { client, client.header("Origin", "http://127.0.0.1:" + this.port) }) {
			Outcome outcome = allowed.run(this.port, "{ accounts { sid } }");
			assertThat(outcome.results()).singleElement()
				.satisfies((result) -> assertThat(result.at("/data/accounts/0/sid").asString()).isEqualTo(E2eSupport.ACCOUNT));
		}
	}

}
