package io.exogate.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With nothing configured the gateway is up, in demo mode, and says so: health is public, its details
 * are for callers with a key, and demo mode's tenant {@code demo} takes the documented key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class HealthEndpointTest {

	static final String DEMO_KEY = "exogate-demo-key";

	@Autowired
	private WebTestClient client;

	@Test
	void healthIsPublicButItsDetailsNeedAKey() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components")
			.doesNotExist();
		this.client.get()
			.uri("/actuator/health")
			.header("X-API-Key", DEMO_KEY)
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
	void theDemoKeyOpensBothSandboxAccounts() {
		this.client.post()
			.uri("/graphql")
			.header("X-API-Key", DEMO_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\":\"{ accounts { sid sandbox } }\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.data.accounts[0].sid")
			.isEqualTo("exogate-demo")
			.jsonPath("$.data.accounts[1].sid")
			.isEqualTo("exogate-demo-2")
			.jsonPath("$.data.accounts[0].sandbox")
			.isEqualTo(true)
			.jsonPath("$.data.accounts.length()")
			.isEqualTo(2);
	}

	@Test
	void withoutAKeyTheEndpointAnswers401WithAGraphQlError() {
		this.client.post()
			.uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"query\":\"{ accounts { sid } }\"}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.errors[0].extensions.code")
			.isEqualTo("UNAUTHENTICATED")
			.jsonPath("$.data")
			.doesNotExist();
	}

	@Test
	void theGraphiQlPageIsPublicAndStartsWithTheDemoKey() {
		this.client.get()
			.uri("/graphiql")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueMatches("Content-Security-Policy", ".*script-src 'self' 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+' https://esm.sh;.*");
		this.client.get()
			.uri("/graphiql/settings.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers['X-API-Key']")
			.isEqualTo(DEMO_KEY);
	}

}
