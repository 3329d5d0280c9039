package io.exogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
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
		EntityExchangeResult<String> answer = this.client.get()
			.uri("/graphiql")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueMatches("Content-Security-Policy",
					"default-src 'none'; script-src 'self'; style-src 'self' 'nonce-[A-Za-z0-9+/]{24}'; .*connect-src 'self';.*")
			.expectBody(String.class)
			.returnResult();
		String page = answer.getResponseBody();
		assertThat(page).doesNotContain("esm.sh").doesNotContainPattern("(src|href)=\"(https?:)?//");
		Matcher nonce = Pattern.compile("'nonce-([A-Za-z0-9+/]{24})'").matcher(answer.getResponseHeaders().getFirst("Content-Security-Policy"));
		assertThat(nonce.find()).isTrue();
		assertThat(page).as("the page names its answer's nonce").contains("<meta name=\"csp-nonce\" content=\"" + nonce.group(1) + "\"/>");
		this.client.get()
			.uri("/graphiql")
			.exchange()
			.expectHeader()
			.value("Content-Security-Policy", (policy) -> assertThat(policy).as("a fresh nonce each time").doesNotContain(nonce.group(1)));
		this.client.get()
			.uri("/graphiql/settings.json")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(CacheControl.noStore())
			.expectBody()
			.jsonPath("$.headers['X-API-Key']")
			.isEqualTo(DEMO_KEY)
			.jsonPath("$.path")
			.isEqualTo("/graphql")
			.jsonPath("$.subscriptionPath")
			.isEqualTo("/graphql");
	}

	@Test
	void theGraphiQlPagesHashedAssetsAreServedByTheGatewayAndCachedForAYear() {
		String page = this.client.get().uri("/graphiql").exchange().expectBody(String.class).returnResult().getResponseBody();
		Matcher script = Pattern.compile("<script type=\"module\" src=\"(/graphiql/assets/graphiql-[A-Z0-9]{8}\\.js)\"").matcher(page);
		Matcher style = Pattern.compile("<link rel=\"stylesheet\" href=\"(/graphiql/assets/graphiql-[A-Z0-9]{8}\\.css)\"").matcher(page);
		assertThat(script.find()).as(page).isTrue();
		assertThat(style.find()).as(page).isTrue();
		WebTestClient assets = this.client.mutate().codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(8 << 20)).build();
		String code = assets.get()
			.uri(script.group(1))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/javascript")
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(code).contains("graphiql").doesNotContain("esm.sh");
		String css = assets.get()
			.uri(style.group(1))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/css")
			.expectHeader()
			.valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=31536000, public, immutable")
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(css).contains(".graphiql-container").doesNotContainPattern("(?i)(@import|url\\()\\s*['\"]?(https?:)?//");
		this.client.get().uri("/graphiql/assets/").exchange().expectStatus().isNotFound();
		this.client.get().uri("/graphiql/assets/graphiql.js").exchange().expectStatus().isNotFound();
		this.client.get().uri("/graphiql/assets/../index.html").exchange().expectStatus().is4xxClientError();
	}

}
