package io.exogate.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** A webhook's secret leaves its URI, however its name is spelled, and reaches the webhook in the exchange. */
class WebhookSecretMaskTest {

	private final WebhookSecretMask mask = new WebhookSecretMask();

	@Test
	void theSecretLeavesTheUriAndTheOtherParametersStay() {
		ServerHttpRequest masked = WebhookSecretMask.mask(post("/webhooks/exotel/acme/status?x=1&secret=s3cr%2Bt&y=2").build());
		assertThat(masked.getURI().toString()).isEqualTo("/webhooks/exotel/acme/status?x=1&y=2");
		assertThat(masked.getQueryParams()).doesNotContainKey("secret").containsKeys("x", "y");
		ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/")).mutate().request(masked).build();
		this.mask.filter(exchange, (filtered) -> Mono.empty()).as(StepVerifier::create).verifyComplete();
		assertThat(exchange.<List<String>>getAttribute(WebhookSecretMask.ATTRIBUTE)).containsExactly("s3cr+t");
	}

	@Test
	void anEncodedNameOrARepeatedOneIsTakenOutToo() {
		assertThat(WebhookSecretMask.mask(post("/webhooks/exotel/acme/status?secr%65t=abc").build())
			.getURI()
			.toString()).isEqualTo("/webhooks/exotel/acme/status");
		assertThat(WebhookSecretMask.mask(post("/webhooks/exotel/acme/status?secret=a&secret=b&k=v").build())
			.getURI()
			.toString()).isEqualTo("/webhooks/exotel/acme/status?k=v");
	}

	/** A request of the URI as sent, already encoded. */
	private static MockServerHttpRequest.BaseBuilder<?> post(String uri) {
		return MockServerHttpRequest.method(HttpMethod.POST, URI.create(uri));
	}

	@Test
	void otherPathsAreLeftAlone() {
		ServerHttpRequest request = MockServerHttpRequest.get("/graphql?secret=abc").build();
		assertThat(WebhookSecretMask.mask(request)).isSameAs(request);
	}

}
