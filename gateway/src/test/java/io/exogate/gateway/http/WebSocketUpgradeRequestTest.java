package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Which requests to {@code /graphql} are WebSocket handshakes, left to the WebSocket handler rather than the request guard. */
class WebSocketUpgradeRequestTest {

	@Test
	void aGetAskingToUpgradeToWebSocketInAnyCaseIsAHandshake() {
		assertThat(GraphQlRequestGuard.isWebSocketUpgrade(MockServerHttpRequest.get("/graphql").header("Upgrade", "websocket").build())).isTrue();
		assertThat(GraphQlRequestGuard.isWebSocketUpgrade(MockServerHttpRequest.get("/graphql").header("Upgrade", "WebSocket").build())).isTrue();
	}

	@Test
	void anythingElseIsAnHttpRequest() {
		assertThat(GraphQlRequestGuard.isWebSocketUpgrade(MockServerHttpRequest.get("/graphql").build())).isFalse();
		assertThat(GraphQlRequestGuard.isWebSocketUpgrade(MockServerHttpRequest.get("/graphql").header("Upgrade", "h2c").build())).isFalse();
		assertThat(GraphQlRequestGuard.isWebSocketUpgrade(MockServerHttpRequest.post("/graphql").header("Upgrade", "websocket").build()))
			.isFalse();
	}

}
