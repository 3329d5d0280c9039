package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.security.SecurityProperties.TenantProperties;
import io.exogate.gateway.security.Unauthenticated.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The 401 and 429 bodies spell their keys in a fixed order: {@code message} before {@code extensions}, {@code code} first. */
class ErrorBodiesTest {

	private final Audit audit = new Audit(Clock.systemUTC());

	@Test
	void aRefusedRequestsBodyHasItsMessageFirst() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/graphql"));
		new Unauthenticated(this.audit, "X-API-Key", false).commence(exchange, new Unauthenticated.Refused(Reason.INVALID_KEY))
			.as(StepVerifier::create)
			.verifyComplete();
		assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.isEqualTo("{\"errors\":[{\"message\":\"The API key is not valid.\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}");
	}

	@Test
	void aRateLimitedRequestsBodyHasItsMessageFirstAndItsCodeBeforeTheWait() {
		Tenants tenants = Tenants.of(List.of(new TenantProperties("acme", List.of("acme-sid"), null,
				List.of("sha256:" + HexFormat.of().formatHex(Tenants.sha256("acme-client-key-1"))), null, 1, null, null, null)),
				List.of("acme-sid"), false);
		ClientRateLimit limit = new ClientRateLimit(tenants, new ClientRateLimiter(null), this.audit);
		Caller caller = new Caller("acme", "key:000000000000", "api-key");
		MockServerWebExchange first = MockServerWebExchange.from(MockServerHttpRequest.post("/graphql"));
		MockServerWebExchange second = MockServerWebExchange.from(MockServerHttpRequest.post("/graphql"));
		for (MockServerWebExchange exchange : List.of(first, second)) {
			limit.filter(exchange, (passed) -> Mono.empty())
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(new CallerAuthentication(caller)))
				.as(StepVerifier::create)
				.verifyComplete();
		}
		assertThat(first.getResponse().getStatusCode()).isNull();
		assertThat(second.getResponse().getStatusCode().value()).isEqualTo(429);
		assertThat(second.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.matches("\\{\"errors\":\\[\\{\"message\":\"Too many requests: this client may make 1 per minute; try again in \\d+ s\\.\","
					+ "\"extensions\":\\{\"code\":\"RATE_LIMITED\",\"retryAfterSeconds\":\\d+}}]}");
	}

}
