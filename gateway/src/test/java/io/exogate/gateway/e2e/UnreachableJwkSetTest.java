package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.RawGraphQlWebSocket.Outcome;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A token issuer whose JWK set endpoint accepts connections and never answers: a bearer token is
 * refused 401 once the fetch's response timeout has passed, rather than holding the request, the
 * failed fetch answers the next tokens for a while without a request of its own, and API keys work
 * throughout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableJwkSetTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults());

	static final JwkServer jwks = JwkServer.hanging();

	static final String ISSUER = "https://issuer.exogate.test/";

	static final String QUERY = "{\"query\":\"{ accounts { sid } }\"}";

	/** More than the fetch's 3 s response timeout, less than a hung request. */
	static final Duration PROMPTLY = Duration.ofSeconds(8);

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		registry.add("exogate.security.tenants[0].jwt.claim", () -> "tenant");
		registry.add("exogate.security.tenants[0].jwt.value", () -> "test");
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", jwks::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences[0]", () -> "exogate");
	}

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		jwks.close();
		sandbox.close();
	}

	@Test
	@Timeout(60)
	void aTokenIsRefusedWithinTheFetchTimeoutAndKeysStillWork() {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port + "/graphql")
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		String token = token();
		Instant start = Instant.now();
		client.post().header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON).bodyValue(QUERY)
			.exchange()
			.expectStatus().isUnauthorized()
			.expectBody()
			.jsonPath("$.errors[0].extensions.code").isEqualTo("UNAUTHENTICATED")
			.jsonPath("$.errors[0].message")
			.isEqualTo("The bearer token cannot be checked now: its issuer's keys could not be fetched. Try again later.");
		assertThat(Duration.between(start, Instant.now())).isLessThan(PROMPTLY);
		assertThat(jwks.keySetRequests()).isOne();
		// Within 5 s of the failure, the next token hears the same at once, without another request.
		Outcome socket = RawGraphQlWebSocket.init(Map.of("Authorization", "Bearer " + token)).run(this.port, "{ accounts { sid } }");
		assertThat(socket.close().getCode()).isEqualTo(4401);
		assertThat(jwks.keySetRequests()).isOne();
		client.post().header(E2eSupport.KEY_HEADER, E2eSupport.KEY).contentType(MediaType.APPLICATION_JSON).bodyValue(QUERY)
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.data.accounts[0].sid").isEqualTo(E2eSupport.ACCOUNT);
	}

	private static String token() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("exogate-unreachable").generate();
			TestSecrets.register(key.getPrivateExponent().toString());
			Instant now = Instant.now();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("client-1")
				.issuer(ISSUER)
				.audience("exogate")
				.claim("tenant", "test")
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
			jwt.sign(new RSASSASigner(key));
			TestSecrets.register(jwt.getSignature().toString());
			return TestSecrets.register(jwt.serialize());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
