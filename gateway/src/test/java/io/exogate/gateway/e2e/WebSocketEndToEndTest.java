package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.RawGraphQlWebSocket.Outcome;
import io.exogate.gateway.security.Audit;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * GraphQL over a real WebSocket (graphql-transport-ws at {@code /graphql}, the path of HTTP too): the handshake needs no
 * credentials, the {@code connection_init} payload does, and what a connection may see and how often
 * it may ask are its tenant's, as over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebSocketEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().callsPerAccount(50).build());

	static final String OTHER_KEY = TestSecrets.register("other-client-key-9a1f3e");

	static final String LIMITED_KEY = TestSecrets.register("limited-client-key-77c0b2");

	static final String DASHBOARD = "https://dashboard.example";

	static final RSAKey SIGNING = rsa();

	static final JwkServer jwks = JwkServer.serving(new JWKSet(SIGNING.toPublicJWK()));

	static final String ISSUER = "https://issuer.exogate.test/";

	static final String QUERY_UPSTREAM = "{ calls(first: 1) { edges { node { sid } } } }";

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		E2eSupport.secondAccount(sandbox, registry);
		registry.add("exogate.security.tenants[1].id", () -> "other");
		registry.add("exogate.security.tenants[1].accounts[0]", () -> "exogate-demo-2");
		registry.add("exogate.security.tenants[1].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(OTHER_KEY));
		registry.add("exogate.security.tenants[1].jwt.claim", () -> "exogate_tenant");
		registry.add("exogate.security.tenants[1].jwt.value", () -> "other");
		registry.add("exogate.security.tenants[2].id", () -> "limited");
		registry.add("exogate.security.tenants[2].accounts[0]", () -> E2eSupport.ACCOUNT);
		registry.add("exogate.security.tenants[2].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(LIMITED_KEY));
		registry.add("exogate.security.tenants[2].requests-per-minute", () -> "2");
		registry.add("exogate.security.cors-allowed-origins[0]", () -> DASHBOARD);
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", jwks::jwkSetUri);
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> "exogate");
		// Shorter than the pauses below: a quiet WebSocket must outlive the HTTP read and idle timeouts.
		registry.add("exogate.http.read-timeout", () -> "1s");
	}

	@LocalServerPort
	int port;

	final ListAppender<ILoggingEvent> audit = new ListAppender<>();

	@BeforeEach
	void fresh() {
		sandbox.reset();
		this.audit.list = new CopyOnWriteArrayList<>();
		this.audit.start();
		auditLogger().addAppender(this.audit);
	}

	@AfterEach
	void detach() {
		auditLogger().detachAppender(this.audit);
	}

	@AfterAll
	static void stop() {
		jwks.close();
		sandbox.close();
	}

	@Test
	void aKeyInConnectionInitAnswersWithTheTenantsAccounts() {
		WebSocketGraphQlTester graphQl = tester(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY));
		try {
			graphQl.document("{ accounts { sid } }").execute().errors().verify().path("accounts[*].sid").entityList(String.class)
				.containsExactly(E2eSupport.ACCOUNT);
			String sid = graphQl.document(QUERY_UPSTREAM).execute().errors().verify().path("calls.edges[0].node.sid")
				.entity(String.class).get();
			assertThat(sid).isNotBlank();
		}
		finally {
			graphQl.stop().block(Duration.ofSeconds(5));
		}
		// The key's name is matched as a header name would be: in any case.
		Outcome other = RawGraphQlWebSocket.init(Map.of("x-api-key", OTHER_KEY)).run(this.port, "{ accounts { sid } }");
		assertThat(other.types()).containsExactly("connection_ack", "next", "complete");
		assertThat(other.results().get(0).at("/data/accounts/0/sid").asString()).isEqualTo("exogate-demo-2");
		assertThat(other.results().get(0).at("/data/accounts").size()).isOne();
	}

	@Test
	void anotherTenantsAccountIsNotFoundOverTheWebSocket() {
		WebSocketGraphQlTester graphQl = tester(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY));
		try {
			graphQl.document("{ activeCalls(account: \"exogate-demo-2\") { sid } }").execute().errors()
				.expect((error) -> "NOT_FOUND".equals(error.getExtensions().get("code")) && error.getMessage().contains("exogate-demo-2"))
				.verify();
			graphQl.document("{ calls(first: 1, account: \"exogate-demo-2\") { edges { node { sid } } } }").execute().errors()
				.expect((error) -> "NOT_FOUND".equals(error.getExtensions().get("code")))
				.verify();
		}
		finally {
			graphQl.stop().block(Duration.ofSeconds(5));
		}
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isZero();
		assertThat(auditEvents()).anyMatch((event) -> event.contains("\"result\":\"cross-tenant\"") && event.contains("\"tenant\":\"test\""));
	}

	@Test
	void noKeyOrAWrongKeyClosesTheSocket4401WithoutAnUpstreamRequest() {
		List<Map<String, Object>> refused = List.of(Map.of(), Map.of(E2eSupport.KEY_HEADER, "not-a-key"),
				Map.of(E2eSupport.KEY_HEADER, List.of(E2eSupport.KEY)), Map.of("Authorization", "Basic dXNlcjpwYXNz"),
				Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY, "Authorization", "Bearer " + token("other", Instant.now().plusSeconds(60))));
		for (Map<String, Object> init : refused) {
			// The query follows the connection_init at once, without waiting for an acknowledgement.
			Outcome outcome = RawGraphQlWebSocket.init(init).eagerly().run(this.port, QUERY_UPSTREAM);
			assertThat(outcome.close()).as("%s", init.keySet()).isNotNull();
			assertThat(outcome.close().getCode()).as("%s", init.keySet()).isEqualTo(4401);
			assertThat(outcome.types()).as("%s", init.keySet()).doesNotContain("connection_ack");
			assertThat(outcome.results()).as("%s", init.keySet())
				.allSatisfy((result) -> assertThat(result.at("/errors/0/extensions/code").asString()).isEqualTo("UNAUTHENTICATED"));
		}
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isZero();
		assertThat(auditEvents()).filteredOn((event) -> event.contains("\"via\":\"/graphql\"")
				&& event.contains("\"result\":\"unauthenticated\""))
			.extracting((event) -> event.replaceAll(".*\"detail\":\"([a-z-]+)\".*", "$1"))
			.containsExactly("missing", "invalid-key", "invalid-key", "invalid-token", "two-credentials");
	}

	@Test
	void aSubscribeWithoutConnectionInitClosesTheSocket4401() {
		Outcome outcome = RawGraphQlWebSocket.init(null).run(this.port, QUERY_UPSTREAM);
		assertThat(outcome.close().getCode()).isEqualTo(4401);
		assertThat(outcome.frames()).isEmpty();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
	}

	@Test
	void aBearerTokenInConnectionInitNamesItsTenant() {
		Outcome valid = RawGraphQlWebSocket.init(Map.of("Authorization", "Bearer " + token("other", Instant.now().plusSeconds(60))))
			.run(this.port, "{ accounts { sid } }");
		assertThat(valid.types()).containsExactly("connection_ack", "next", "complete");
		assertThat(valid.results().get(0).at("/data/accounts/0/sid").asString()).isEqualTo("exogate-demo-2");
		Outcome expired = RawGraphQlWebSocket.init(Map.of("authorization", "bearer " + token("other", Instant.now().minusSeconds(600))))
			.run(this.port, "{ accounts { sid } }");
		assertThat(expired.close().getCode()).isEqualTo(4401);
		Outcome noTenant = RawGraphQlWebSocket.init(Map.of("Authorization", "Bearer " + token("nobody", Instant.now().plusSeconds(60))))
			.run(this.port, "{ accounts { sid } }");
		assertThat(noTenant.close().getCode()).isEqualTo(4401);
		assertThat(auditEvents()).filteredOn((event) -> event.contains("\"via\":\"/graphql\""))
			.extracting((event) -> event.replaceAll(".*\"detail\":\"([a-z-]+)\".*", "$1"))
			.containsExactly("expired-token", "no-tenant");
	}

	@Test
	void aConnectionServesNoQueryOnceItsTokenHasExpired() {
		// Accepted at connection_init within the 60 s leeway token validation allows, past it 2.5 s later.
		Outcome outcome = RawGraphQlWebSocket.init(Map.of("Authorization", "Bearer " + token("other", Instant.now().minusSeconds(58))))
			.idleFor(Duration.ofMillis(2500))
			.run(this.port, "{ accounts { sid } }");
		assertThat(outcome.types()).containsExactly("connection_ack", "next", "complete");
		assertThat(outcome.results().get(0).at("/errors/0/extensions/code").asString()).isEqualTo("UNAUTHENTICATED");
		assertThat(outcome.results().get(0).at("/errors/0/message").asString()).contains("expired");
		assertThat(outcome.results().get(0).has("data")).isFalse();
		assertThat(auditEvents()).anyMatch((event) -> event.contains("\"detail\":\"expired-token\"")
				&& event.contains("\"who\":\"sub:dashboard-user\""));
	}

	@Test
	void eachSubscribeTakesFromTheClientsRequestsPerMinute() {
		Outcome outcome = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, LIMITED_KEY))
			.run(this.port, "{ accounts { sid } }", "{ accounts { sid } }", QUERY_UPSTREAM);
		assertThat(outcome.results()).hasSize(3);
		assertThat(outcome.results().get(0).at("/data/accounts/0/sid").asString()).isEqualTo(E2eSupport.ACCOUNT);
		assertThat(outcome.results().get(1).at("/data/accounts/0/sid").asString()).isEqualTo(E2eSupport.ACCOUNT);
		JsonNode limited = outcome.results().get(2);
		assertThat(limited.at("/errors/0/extensions/code").asString()).isEqualTo("RATE_LIMITED");
		assertThat(limited.at("/errors/0/extensions/retryAfterSeconds").asLong()).isBetween(1L, 60L);
		assertThat(limited.at("/errors/0/message").asString()).startsWith("Too many requests: this client may make 2 per minute");
		assertThat(limited.has("data")).isFalse();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
		assertThat(auditEvents()).anyMatch((event) -> event.contains("\"result\":\"rate-limited\"") && event.contains("\"tenant\":\"limited\""));
	}

	@Test
	void aDocumentHoldingANumberOfMoreThan40DigitsIsRefusedAsOverHttp() {
		Outcome outcome = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY))
			.run(this.port, "{ calls(first: " + "9".repeat(41) + ") { edges { node { sid } } } }",
					"{ calls(first: " + "9".repeat(40) + ") { edges { node { sid } } } }");
		assertThat(outcome.types()).containsExactly("connection_ack", "next", "complete", "next", "complete");
		JsonNode refused = outcome.results().get(0);
		assertThat(refused.at("/errors/0/extensions/code").asString()).isEqualTo("BAD_REQUEST");
		assertThat(refused.at("/errors/0/message").asString())
			.isEqualTo("The document holds a number of more than 40 digits; no argument takes one.");
		assertThat(refused.has("data")).isFalse();
		assertThat(outcome.results().get(1).at("/errors/0/extensions/code").asString()).as("40 digits are parsed and validated")
			.isEqualTo("GRAPHQL_VALIDATION_FAILED");
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
	}

	@Test
	void aHandshakeFromAnOriginOutsideTheCorsListIsRefused() {
		Throwable refused = catchThrowable(() -> RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY))
			.header("Origin", "https://evil.example")
			.run(this.port, "{ accounts { sid } }"));
		assertThat(refused).isInstanceOf(WebSocketClientHandshakeException.class);
		assertThat(((WebSocketClientHandshakeException) refused).response().status().code()).isEqualTo(403);
		Outcome allowed = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY))
			.header("Origin", DASHBOARD)
			.run(this.port, "{ accounts { sid } }");
		assertThat(allowed.results()).singleElement()
			.satisfies((result) -> assertThat(result.at("/data/accounts/0/sid").asString()).isEqualTo(E2eSupport.ACCOUNT));
	}

	@Test
	void aQuietConnectionOutlivesTheHttpTimeouts() {
		Outcome outcome = RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY))
			.idleFor(Duration.ofMillis(2500))
			.run(this.port, "{ accounts { sid } }");
		assertThat(outcome.types()).containsExactly("connection_ack", "next", "complete");
	}

	@Test
	void theWebSocketPathIsOpenToHandshakesOnly() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		// Not an upgrade: an HTTP request, which needs credentials; with them, a GET is not GraphQL over HTTP here.
		client.get().uri("/graphql").exchange().expectStatus().isUnauthorized();
		client.get().uri("/graphql").header("Upgrade", "h2c").exchange().expectStatus().isUnauthorized();
		client.post().uri("/graphql").bodyValue("{}").exchange().expectStatus().isUnauthorized();
		client.get().uri("/graphql").header(E2eSupport.KEY_HEADER, E2eSupport.KEY).exchange().expectStatus().isEqualTo(405)
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("METHOD_NOT_ALLOWED");
		// The old path serves nothing.
		client.get().uri("/graphql/ws").header(E2eSupport.KEY_HEADER, E2eSupport.KEY).exchange().expectStatus().isNotFound();
		Throwable oldPath = catchThrowable(() -> RawGraphQlWebSocket.init(Map.of(E2eSupport.KEY_HEADER, E2eSupport.KEY))
			.at("/graphql/ws").run(this.port));
		assertThat(oldPath).isInstanceOf(WebSocketClientHandshakeException.class);
		Throwable keyInUrl = catchThrowable(() -> RawGraphQlWebSocket.init(Map.of()).at("/graphql?api_key=" + E2eSupport.KEY).run(this.port));
		assertThat(keyInUrl).isInstanceOf(WebSocketClientHandshakeException.class);
		assertThat(((WebSocketClientHandshakeException) keyInUrl).response().status().code()).isEqualTo(401);
	}

	@Test
	void httpRequestsAuthenticateAsBefore() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port + "/graphql").build();
		String accounts = "{\"query\":\"{ accounts { sid } }\"}";
		client.post().header(E2eSupport.KEY_HEADER, "not-a-key").contentType(MediaType.APPLICATION_JSON).bodyValue(accounts).exchange()
			.expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.errors[0].message").isEqualTo("The API key is not valid.");
		client.post().header(E2eSupport.KEY_HEADER, E2eSupport.KEY + "x".repeat(300)).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(accounts).exchange()
			.expectStatus().isUnauthorized();
		client.post().header(E2eSupport.KEY_HEADER, OTHER_KEY).contentType(MediaType.APPLICATION_JSON).bodyValue(accounts)
			.exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.data.accounts[0].sid").isEqualTo("exogate-demo-2");
		client.post().header(HttpHeaders.AUTHORIZATION, "Bearer " + token("other", Instant.now().plusSeconds(60)))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(accounts).exchange()
			.expectStatus().isOk()
			.expectBody().jsonPath("$.data.accounts[0].sid").isEqualTo("exogate-demo-2");
		client.post().header(HttpHeaders.AUTHORIZATION, "Bearer " + token("nobody", Instant.now().plusSeconds(60)))
			.contentType(MediaType.APPLICATION_JSON).bodyValue(accounts).exchange()
			.expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.errors[0].message").isEqualTo("The bearer token names no tenant of this gateway.");
	}

	private WebSocketGraphQlTester tester(Map<String, Object> init) {
		WebSocketGraphQlTester tester = WebSocketGraphQlTester.builder("ws://127.0.0.1:" + this.port + "/graphql",
				new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {

				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(init);
				}

			})
			.build();
		tester.start().block(Duration.ofSeconds(10));
		return tester;
	}

	private List<String> auditEvents() {
		return this.audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private static Logger auditLogger() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Audit.LOGGER);
	}

	private static String token(String tenant, Instant expiresAt) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("dashboard-user")
			.issuer(ISSUER)
			.audience("exogate")
			.claim("exogate_tenant", tenant)
			.issueTime(Date.from(expiresAt.minusSeconds(3600)))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(SIGNING.getKeyID()).build(), claims);
		try {
			jwt.sign(new RSASSASigner(SIGNING));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		TestSecrets.register(jwt.getSignature().toString());
		return TestSecrets.register(jwt.serialize());
	}

	/** The issuer's signing key; its private parts are registered secrets. */
	private static RSAKey rsa() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("exogate-ws-test").generate();
			TestSecrets.register(key.getPrivateExponent().toString());
			TestSecrets.register(key.getFirstPrimeFactor().toString());
			TestSecrets.register(key.getSecondPrimeFactor().toString());
			return key;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
