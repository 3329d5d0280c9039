package io.exogate.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With nothing configured the gateway is up, in demo mode, and says so. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HealthEndpointTest {

	@Autowired
	private WebTestClient client;

	@Test
	void healthIsUpOverHttpAndSaysDemoMode() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.upstream.details.mode")
			.isEqualTo("demo");
	}

	@Test
	void theDemoAccountIsMarkedAsTheSandbox() {
		this.client.post()
			.uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\":\"{ accounts { sid sandbox } }\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.accounts[0].sid")
			.isEqualTo("exogate-demo")
			.jsonPath("$.data.accounts[0].sandbox")
			.isEqualTo(true)
			.jsonPath("$.data.accounts.length()")
			.isEqualTo(1);
	}

}
