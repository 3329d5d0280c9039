package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.e2e.E2eSupport.Answer;
import io.exogate.gateway.security.Audit;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bearer tokens from an issuer whose JWK set the test serves: a token signed by its key, naming it as
 * issuer, for the gateway's audience, with an expiry not past and no start in the future, naming
 * exactly one tenant, is that tenant's caller; every other token is a 401, the JWK set is fetched
 * from its URL alone and not once per unknown key, and no token or key material is ever logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JwtAuthenticationTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().rateLimitPerMinute(100_000).build());

	static final RSAKey issuerKey = rsaKey("exogate-test-issuer");

	/** A key pair the issuer never published, under the same key id as the real one. */
	static final RSAKey forgerKey = rsaKey(issuerKey.getKeyID());

	static final JwkServer jwks = JwkServer.serving(new JWKSet(issuerKey.toPublicJWK()));

	/**
	 * The issuer tokens must name. A URL on the JWK server: had the gateway looked for the issuer's
	 * discovery document, that server would have seen the request.
	 */
	static final String ISSUER = jwks.base() + "/issuer";

	/** Alpha's API key: a request may carry it or a token, not both. */
	static final String ALPHA_KEY = TestSecrets.register("alpha-client-key-71be02");

	static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		account(registry, 0, "exogate-demo", "demo");
		account(registry, 1, "exogate-demo-2", "demo2");
		registry.add("exogate.exotel.resilience.max-attempts", () -> "1");
		tenant(registry, 0, "alpha", "exogate-demo");
		registry.add("exogate.security.tenants[0].api-keys[0]", () -> "sha256:" + E2eSupport.sha256(ALPHA_KEY));
		tenant(registry, 1, "beta", "exogate-demo-2");
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", jwks::jwkSetUri);
		// Indexed, as a YAML list binds it.
		registry.add("spring.security.oauth2.resourceserver.jwt.audiences[0]", () -> "exogate");
	}

	private static void account(DynamicPropertyRegistry registry, int index, String sid, String credentials) {
		String prefix = "exogate.exotel.accounts[" + index + "].";
		registry.add(prefix + "sid", () -> sid);
		registry.add(prefix + "api-key", () -> credentials + "-key");
		registry.add(prefix + "api-token", () -> credentials + "-token");
		registry.add(prefix + "v4-token", () -> credentials + "-v4-token");
		registry.add(prefix + "base-urls.v1", sandbox::baseUrl);
		registry.add(prefix + "base-urls.v3", sandbox::baseUrl);
		registry.add(prefix + "base-urls.v4", sandbox::baseUrl);
	}

	private static void tenant(DynamicPropertyRegistry registry, int index, String id, String account) {
		String prefix = "exogate.security.tenants[" + index + "].";
		registry.add(prefix + "id", () -> id);
		registry.add(prefix + "accounts[0]", () -> account);
		registry.add(prefix + "jwt.claim", () -> "tenant");
		registry.add(prefix + "jwt.value", () -> id);
		registry.add(prefix + "requests-per-minute", () -> "1000000");
	}

	@LocalServerPort
	int port;

	WebTestClient client;

	/** Every token this test made: none may appear in a log line. */
	final List<String> tokens = new ArrayList<>();

	final ListAppender<ILoggingEvent> log = new ListAppender<>();

	/** The levels configured before the test, restored after it. */
	final Map<Logger, Level> levels = new HashMap<>();

	@BeforeEach
	void fresh() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
		sandbox.reset();
		Logger root = root();
		// Everything, DEBUG included, is captured while the test runs, whatever level a logger is configured at.
		for (Logger logger : root.getLoggerContext().getLoggerList()) {
			if (logger.getLevel() != null && logger.getLevel().isGreaterOrEqual(Level.INFO)) {
				this.levels.put(logger, logger.getLevel());
				logger.setLevel(Level.DEBUG);
			}
		}
		this.log.start();
		root.addAppender(this.log);
	}

	@AfterEach
	void noTokenOrKeyMaterialWasLogged() {
		Logger root = root();
		root.detachAppender(this.log);
		this.levels.forEach(Logger::setLevel);
		this.log.stop();
		List<String> lines = logLines();
		List<String> secrets = new ArrayList<>();
		for (String token : this.tokens) {
			secrets.add(token);
			secrets.add(token.substring(token.lastIndexOf('.') + 1));
		}
		secrets.removeIf(String::isEmpty);
		secrets.add(Base64.getEncoder().encodeToString(privateKey(issuerKey)));
		secrets.add(issuerKey.getPrivateExponent().toString());
		secrets.add(forgerKey.getPrivateExponent().toString());
		secrets.add(ALPHA_KEY);
		assertThat(lines).as("captured log lines").isNotEmpty();
		assertThat(lines.stream().filter((line) -> secrets.stream().anyMatch(line::contains)).toList())
			.as("log lines carrying a token, a signature, a private key or an API key")
			.isEmpty();
	}

	@AfterAll
	static void stop() {
		jwks.close();
		sandbox.close();
	}

	@Test
	void aValidTokenReadsItsTenantsAccountAndCalls() {
		String token = token(claims("alpha").build());
		Answer accounts = post(token, null, "{ accounts { sid } }");
		assertThat(accounts.status()).isEqualTo(200);
		assertThat(accounts.errors()).isEmpty();
		assertThat(accounts.data().get("accounts")).isEqualTo(List.of(Map.of("sid", "exogate-demo")));
		Answer calls = post(token, null, "{ calls(first: 3) { edges { node { sid account } } } }");
		assertThat(calls.errors()).isEmpty();
		assertThat(calls.body()).contains("\"account\":\"exogate-demo\"").doesNotContain("exogate-demo-2");
		assertThat(post(token(claims("beta").build()), null, "{ accounts { sid } }").data().get("accounts"))
			.isEqualTo(List.of(Map.of("sid", "exogate-demo-2")));
		// With jwk-set-uri set, the issuer-uri is compared, never fetched: no discovery document is asked for.
		assertThat(jwks.requests()).containsOnlyKeys("/jwks");
	}

	@Test
	void aTokenWithoutExpiryIsRefused() {
		JWTClaimsSet forever = new JWTClaimsSet.Builder(claims("alpha").build()).expirationTime(null).build();
		assertThat(forever.getExpirationTime()).isNull();
		Answer answer = post(token(forever), null, "{ accounts { sid } }");
		assertUnauthenticated(answer);
		assertThat(answer.errors().get(0).get("message")).isEqualTo("The bearer token is not valid.");
	}

	@Test
	void aTokenFromAnotherIssuerOrNamingNoneIsRefused() {
		assertUnauthenticated(post(token(claims("alpha").issuer("https://issuer.elsewhere.example").build()), null,
				"{ accounts { sid } }"));
		assertUnauthenticated(post(token(claims("alpha").issuer(ISSUER + "/other").build()), null, "{ accounts { sid } }"));
		assertUnauthenticated(post(token(claims("alpha").issuer(null).build()), null, "{ accounts { sid } }"));
	}

	@Test
	void aTokenNotValidYetIsRefusedBeyondTheClockSkew() {
		Instant now = Instant.now();
		assertUnauthenticated(post(token(claims("alpha").notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5)))).build()), null,
				"{ accounts { sid } }"));
		assertUnauthenticated(post(token(claims("alpha").issueTime(Date.from(now.plus(Duration.ofMinutes(5)))).build()), null,
				"{ accounts { sid } }"));
		// Within the 60 s allowed for clocks apart.
		assertThat(post(token(claims("alpha").notBeforeTime(Date.from(now.plusSeconds(20)))
			.issueTime(Date.from(now.plusSeconds(20)))
			.build()), null, "{ accounts { sid } }").status()).isEqualTo(200);
	}

	@Test
	@Timeout(60)
	// Last: its refusals use up the audit trail's allowance for the second, which the others' assertions need.
	@Order(Integer.MAX_VALUE)
	void tokensNamingUnknownKeysDoNotRefetchTheKeySetEachTime() {
		int before = jwks.keySetRequests();
		WebClient web = WebClient.create("http://127.0.0.1:" + this.port);
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			tokens.add(sign(forgerKey, UUID.randomUUID().toString(), claims("alpha").build()));
		}
		List<Answer> answers = Flux.fromIterable(tokens)
			.flatMap((token) -> web.post()
				.uri("/graphql")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(JSON.writeValueAsString(Map.of("query", "{ accounts { sid } }")))
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.map((body) -> new Answer(response.statusCode().value(), body))), 8)
			.collectList()
			.block(Duration.ofSeconds(50));
		assertThat(answers).hasSize(40).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.errors().get(0).get("message")).isEqualTo("The bearer token is not valid.");
		});
		// One fetch at most: concurrent ones share it, and the set fetched answers for 30 s.
		assertThat(jwks.keySetRequests() - before).isLessThanOrEqualTo(1);
		assertThat(post(token(claims("alpha").build()), null, "{ accounts { sid } }").status()).isEqualTo(200);
	}

	@Test
	void anExpiredTokenIsRefusedAsExpired() {
		Instant past = Instant.now().minus(Duration.ofHours(1));
		Answer answer = post(token(claims("alpha").issueTime(Date.from(past))
			.expirationTime(Date.from(past.plus(Duration.ofMinutes(5))))
			.build()), null, "{ accounts { sid } }");
		assertUnauthenticated(answer);
		assertThat(answer.errors().get(0).get("message")).asString().contains("expired");
	}

	@Test
	void aTokenSignedByAnotherKeyPairIsRefused() {
		assertUnauthenticated(post(sign(forgerKey, claims("alpha").build()), null, "{ accounts { sid } }"));
	}

	@Test
	void anUnsignedTokenIsRefused() {
		String unsigned = TestSecrets.register(new PlainJWT(claims("alpha").build()).serialize());
		this.tokens.add(unsigned);
		assertThat(unsigned).startsWith("eyJhbGciOiJub25lIn0.");
		assertUnauthenticated(post(unsigned, null, "{ accounts { sid } }"));
	}

	@Test
	void aTokenForAnotherAudienceIsRefused() {
		assertUnauthenticated(post(token(claims("alpha").audience("another-service").build()), null, "{ accounts { sid } }"));
	}

	@Test
	void aTokenNamingNoTenantIsRefused() {
		Answer answer = post(token(claims("gamma").build()), null, "{ accounts { sid } }");
		assertUnauthenticated(answer);
		assertThat(answer.errors().get(0).get("message")).asString().contains("tenant");
	}

	@Test
	void aTokenCannotReachAnotherTenantsAccount() {
		String token = token(claims("alpha").build());
		Answer theirs = post(token, null, "{ activeCalls(account: \"exogate-demo-2\") { sid } }");
		Answer unknown = post(token, null, "{ activeCalls(account: \"no-such-account\") { sid } }");
		assertThat(theirs.status()).isEqualTo(200);
		assertThat(theirs.errors()).singleElement().extracting("extensions.code").isEqualTo("NOT_FOUND");
		assertThat(theirs.body().replace("exogate-demo-2", "<account>")).isEqualTo(unknown.body().replace("no-such-account", "<account>"));
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
		assertThat(auditEvents()).anySatisfy((event) -> assertThat(event).containsEntry("result", "cross-tenant")
			.containsEntry("tenant", "alpha")
			.containsEntry("who", "sub:client-7")
			.containsEntry("account", "exogate-demo-2"));
	}

	@Test
	void aRequestCarryingAKeyAndATokenIsRefused() {
		String token = token(claims("alpha").build());
		assertThat(post(token, null, "{ accounts { sid } }").status()).as("the token alone").isEqualTo(200);
		assertThat(post(null, ALPHA_KEY, "{ accounts { sid } }").status()).as("the key alone").isEqualTo(200);
		assertUnauthenticated(post(token, ALPHA_KEY, "{ accounts { sid } }"));
	}

	private void assertUnauthenticated(Answer answer) {
		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.errors()).singleElement().extracting("extensions.code").isEqualTo("UNAUTHENTICATED");
		assertThat(answer.data()).isNull();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
		assertThat(auditEvents()).anySatisfy((event) -> assertThat(event).containsEntry("result", "unauthenticated"));
		assertThat(auditEvents()).noneSatisfy((event) -> assertThat(event).containsKey("tenant"));
	}

	private static JWTClaimsSet.Builder claims(String tenant) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject("client-7")
			.issuer(ISSUER)
			.audience("exogate")
			.claim("tenant", tenant)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
	}

	private String token(JWTClaimsSet claims) {
		return sign(issuerKey, claims);
	}

	private String sign(RSAKey key, JWTClaimsSet claims) {
		return sign(key, key.getKeyID(), claims);
	}

	/** The claims signed by the key, under this key id; the token and its signature are registered secrets. */
	private String sign(RSAKey key, String keyId, JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(JOSEObjectType.JWT).build(),
				claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		String token = TestSecrets.register(jwt.serialize());
		TestSecrets.register(jwt.getSignature().toString());
		this.tokens.add(token);
		return token;
	}

	private Answer post(String token, String key, String document) {
		WebTestClient.RequestBodySpec request = this.client.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON);
		if (token != null) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		if (key != null) {
			request.header(E2eSupport.KEY_HEADER, key);
		}
		EntityExchangeResult<String> result = request.bodyValue(JSON.writeValueAsString(Map.of("query", document)))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		return new Answer(result.getStatus().value(), result.getResponseBody());
	}

	/** Each captured event as text: its message, its arguments and any stack trace. */
	private List<String> logLines() {
		List<ILoggingEvent> events;
		synchronized (this.log) {
			events = new ArrayList<>(this.log.list);
		}
		List<String> lines = new ArrayList<>();
		for (ILoggingEvent event : events) {
			StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ").append(event.getFormattedMessage());
			if (event.getArgumentArray() != null) {
				for (Object argument : event.getArgumentArray()) {
					line.append(" | ").append(argument);
				}
			}
			for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
				line.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
				for (StackTraceElementProxy frame : thrown.getStackTraceElementProxyArray()) {
					line.append(' ').append(frame.getSTEAsString());
				}
			}
			lines.add(line.toString());
		}
		return lines;
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> auditEvents() {
		List<ILoggingEvent> events;
		synchronized (this.log) {
			events = new ArrayList<>(this.log.list);
		}
		return events.stream()
			.filter((event) -> event.getLoggerName().equals(Audit.LOGGER))
			.map((event) -> (Map<String, Object>) JSON.readValue(event.getFormattedMessage(), Map.class))
			.toList();
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	/** A new key pair; its private parts are registered secrets. */
	private static RSAKey rsaKey(String keyId) {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID(keyId).generate();
			TestSecrets.register(Base64.getEncoder().encodeToString(privateKey(key)));
			TestSecrets.register(key.getPrivateExponent().toString());
			TestSecrets.register(key.getFirstPrimeFactor().toString());
			TestSecrets.register(key.getSecondPrimeFactor().toString());
			return key;
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] privateKey(RSAKey key) {
		try {
			return key.toPrivateKey().getEncoded();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
