package io.exogate.gateway.persisted;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import io.exogate.gateway.http.GraphQlRequestGuard;
import io.exogate.gateway.security.Caller;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The persisted-documents filter behind the request guard, in front of a handler that records the
 * bodies it is given: what reaches GraphQL, and what is answered instead.
 */
class PersistedDocumentsTest {

	private static final String DOCUMENT = "query Calls($first: Int) { calls(first: $first) { edges { node { sid } } } }";

	private static final String HASH = DocumentHash.of(DOCUMENT);

	private static final String OTHER = "{ accounts { sid } }";

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The bodies the handler (standing for Spring for GraphQL) was given, and their Content-Length. */
	private final List<Received> received = new CopyOnWriteArrayList<>();

	/** The status the handler answers with. */
	private final AtomicInteger status = new AtomicInteger(200);

	private final WebHandler handler = (exchange) -> DataBufferUtils.join(exchange.getRequest().getBody())
		.flatMap((buffer) -> {
			String body = buffer.toString(StandardCharsets.UTF_8);
			DataBufferUtils.release(buffer);
			this.received.add(new Received(body, json.readTree(body), exchange.getRequest().getHeaders().getContentLength()));
			exchange.getResponse().setStatusCode(HttpStatus.valueOf(this.status.get()));
			exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
			byte[] answer = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);
			return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(answer)));
		});

	/** Stands for Spring Security: the tenant named in {@code X-Tenant} becomes the caller's. */
	private static final WebFilter authenticated = (exchange, chain) -> {
		String tenant = exchange.getRequest().getHeaders().getFirst("X-Tenant");
		if (tenant == null) {
			return chain.filter(exchange);
		}
		Principal caller = UsernamePasswordAuthenticationToken.authenticated(new Caller(tenant, "key-1", "api-key"), null, List.of());
		return chain.filter(exchange.mutate().principal(Mono.just(caller)).build());
	};

	private final InProcessPersistedQueryStore store = new InProcessPersistedQueryStore(
			new SettableClock(Instant.parse("2026-11-20T10:00:00Z")), 100, Duration.ofHours(24));

	@Test
	void anUnknownHashIsNotFoundWithStatus200() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		post(client, "acme", hashOnly(HASH))
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.errors[0].message").isEqualTo("PersistedQueryNotFound")
			.jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND")
			.jsonPath("$.data").doesNotExist();
		assertThat(this.received).isEmpty();
	}

	@Test
	void aDocumentSentWithItsHashIsKeptAndRunsByHashAlone() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		String register = "{\"query\":" + quoted(DOCUMENT) + ",\"variables\":{\"first\":5},"
				+ "\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + HASH + "\"}}}";
		post(client, "acme", register).expectStatus().isOk().expectBody().jsonPath("$.errors").doesNotExist();
		assertThat(this.received).singleElement().satisfies((first) -> assertThat(first.body()).isEqualTo(json.readTree(register)));

		String byHash = "{\"operationName\":\"Calls\",\"variables\":{\"first\":7,\"big\":1.50000000000000000001},"
				+ "\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + HASH + "\"}}}";
		post(client, "acme", byHash).expectStatus().isOk().expectBody().jsonPath("$.errors").doesNotExist();
		assertThat(this.received).hasSize(2);
		Received run = this.received.get(1);
		assertThat(run.body().path("query").asString()).isEqualTo(DOCUMENT);
		assertThat(run.body().path("operationName").asString()).isEqualTo("Calls");
		assertThat(run.body().path("variables").path("first").asInt()).isEqualTo(7);
		assertThat(run.text()).contains("\"big\":1.50000000000000000001");
		assertThat(run.body().path("extensions").path("persistedQuery").path("sha256Hash").asString()).isEqualTo(HASH);
		assertThat(run.contentLength()).isEqualTo(run.text().getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void aHashThatIsNotTheQuerysIsRefusedAndNothingIsKept() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		String wrong = DocumentHash.of(OTHER);
		post(client, "acme", withQuery(DOCUMENT, wrong))
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
		post(client, "acme", hashOnly(wrong)).expectStatus().isOk()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		assertThat(this.received).isEmpty();
	}

	@Test
	void aDocumentWhoseRequestWasRefusedDownstreamIsNotKept() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		this.status.set(429);
		post(client, "acme", withQuery(DOCUMENT, HASH)).expectStatus().isEqualTo(429);
		this.status.set(200);
		post(client, "acme", hashOnly(HASH)).expectStatus().isOk()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
	}

	@Test
	void aDocumentLongerThanTheKeptLimitRunsButIsNotKept() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		String longDocument = "query Long { __typename }" + " ".repeat(PersistedDocuments.MAX_KEPT_LENGTH);
		String hash = DocumentHash.of(longDocument);
		post(client, "acme", withQuery(longDocument, hash)).expectStatus().isOk();
		assertThat(this.received).singleElement().satisfies((run) -> assertThat(run.body().path("query").asString()).isEqualTo(longDocument));
		post(client, "acme", hashOnly(hash)).expectStatus().isOk()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		String shortDocument = "query Short { __typename }";
		post(client, "acme", withQuery(shortDocument, DocumentHash.of(shortDocument))).expectStatus().isOk();
		post(client, "acme", hashOnly(DocumentHash.of(shortDocument))).expectStatus().isOk()
			.expectBody().jsonPath("$.errors").doesNotExist();
	}

	@Test
	void aVersionOtherThanOneIsNotSupported() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		for (String version : List.of("2", "\"1\"", "null")) {
			post(client, "acme", "{\"query\":" + quoted(DOCUMENT) + ",\"extensions\":{\"persistedQuery\":{\"version\":" + version
					+ ",\"sha256Hash\":\"" + HASH + "\"}}}")
				.expectStatus().isBadRequest()
				.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_SUPPORTED");
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void aHashThatIsNotSixtyFourHexDigitsIsABadRequest() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		for (String hash : List.of("abc", "g".repeat(64), HASH + "0", HASH.substring(1))) {
			post(client, "acme", hashOnly(hash))
				.expectStatus().isBadRequest()
				.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("BAD_REQUEST");
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void oneTenantsDocumentsAreUnknownToAnother() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		post(client, "acme", withQuery(DOCUMENT, HASH)).expectStatus().isOk();
		post(client, "acme", hashOnly(HASH)).expectStatus().isOk().expectBody().jsonPath("$.errors").doesNotExist();
		post(client, "globex", hashOnly(HASH)).expectStatus().isOk()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		post(client, null, hashOnly(HASH)).expectStatus().isOk()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		assertThat(this.received).hasSize(2);
		assertThat(this.store.find("acme", HASH).block()).isEqualTo(DOCUMENT);
		assertThat(this.store.find("globex", HASH).block()).isNull();
	}

	@Test
	void aRefusalAnswersInTheMediaTypeTheClientAccepts() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		client.post().uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.parseMediaType("application/graphql-response+json"), MediaType.APPLICATION_JSON)
			.bodyValue(withQuery(DOCUMENT, DocumentHash.of(OTHER)))
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType("application/graphql-response+json");
	}

	@Test
	void switchedOffAHashAloneIsNotSupportedAndADocumentWithItsHashJustRuns() {
		WebTestClient client = client(PersistedDocuments.off("/graphql"));
		post(client, "acme", withQuery(DOCUMENT, HASH)).expectStatus().isOk().expectBody().jsonPath("$.errors").doesNotExist();
		assertThat(this.received).singleElement().satisfies((run) -> assertThat(run.body().path("query").asString()).isEqualTo(DOCUMENT));
		post(client, "acme", hashOnly(HASH))
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.errors[0].message").isEqualTo("PersistedQueryNotSupported")
			.jsonPath("$.errors[0].extensions.code").isEqualTo("PERSISTED_QUERY_NOT_SUPPORTED");
		assertThat(this.received).hasSize(1);
	}

	@Test
	void trustedDocumentsRunByDocumentIdByHashOrByTheirText() {
		WebTestClient client = client(PersistedDocuments.trusted("/graphql", manifest()));
		post(client, "acme", "{\"documentId\":\"" + HASH + "\",\"variables\":{\"first\":3}}").expectStatus().isOk()
			.expectBody().jsonPath("$.errors").doesNotExist();
		post(client, "acme", "{\"documentId\":\"sha256:" + HASH + "\"}").expectStatus().isOk();
		post(client, "acme", hashOnly(HASH)).expectStatus().isOk();
		post(client, "acme", "{\"query\":" + quoted(DOCUMENT) + "}").expectStatus().isOk();
		assertThat(this.received).hasSize(4).allSatisfy((run) -> assertThat(run.body().path("query").asString()).isEqualTo(DOCUMENT));
		assertThat(this.received.get(0).body().path("documentId").asString()).isEqualTo(HASH);
		assertThat(this.received.get(0).body().path("variables").path("first").asInt()).isEqualTo(3);
	}

	@Test
	void trustedModeRefusesEveryOtherOperationAndKeepsNothing() {
		WebTestClient client = client(PersistedDocuments.trusted("/graphql", manifest()));
		String unknown = DocumentHash.of(OTHER);
		for (String body : List.of("{\"query\":" + quoted(OTHER) + "}", withQuery(OTHER, unknown), hashOnly(unknown),
				"{\"documentId\":\"sha256:" + unknown + "\"}", "{\"query\":" + quoted(DOCUMENT + " ") + "}")) {
			post(client, "acme", body)
				.expectStatus().isBadRequest()
				.expectBody()
				.jsonPath("$.errors[0].extensions.code").isEqualTo("OPERATION_NOT_TRUSTED")
				.jsonPath("$.errors[0].message").isEqualTo("this gateway runs trusted documents only: send a documentId from its manifest");
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void theGuardRefusesABodyWithNeitherQueryNorHash() {
		WebTestClient client = client(PersistedDocuments.automatic("/graphql", this.store));
		post(client, "acme", "{\"extensions\":{\"persistedQuery\":{\"version\":1}}}")
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("BAD_REQUEST");
		assertThat(this.received).isEmpty();
	}

	@Test
	void otherPathsAndMethodsAreLeftAlone() {
		WebTestClient client = WebTestClient.bindToWebHandler(this.handler)
			.webFilter(PersistedDocuments.trusted("/graphql", manifest()))
			.build();
		client.post().uri("/other").contentType(MediaType.APPLICATION_JSON).bodyValue(hashOnly(HASH)).exchange().expectStatus().isOk();
		client.put().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue(hashOnly(HASH)).exchange().expectStatus().isOk();
		assertThat(this.received).hasSize(2).allSatisfy((run) -> assertThat(run.body().has("query")).isFalse());
	}

	@Test
	void withoutTheBodyTheGuardReadNothingRuns() {
		WebTestClient client = WebTestClient.bindToWebHandler(this.handler)
			.webFilter(PersistedDocuments.trusted("/graphql", manifest()))
			.build();
		client.post().uri("/graphql").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":" + quoted(OTHER) + "}")
			.exchange()
			.expectStatus().isEqualTo(500)
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("INTERNAL_ERROR");
		assertThat(this.received).isEmpty();
	}

	private WebTestClient client(PersistedDocuments documents) {
		return WebTestClient.bindToWebHandler(this.handler)
			.webFilter(authenticated, new GraphQlRequestGuard("/graphql", 64 * 1024), documents)
			.build();
	}

	private static WebTestClient.ResponseSpec post(WebTestClient client, String tenant, String body) {
		return client.post().uri("/graphql")
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (tenant != null) {
					headers.set("X-Tenant", tenant);
				}
			})
			.bodyValue(body)
			.exchange();
	}

	private static TrustedDocuments manifest() {
		String manifest = json.writeValueAsString(Map.of("sha256:" + HASH, DOCUMENT));
		return TrustedDocuments.read(new ByteArrayResource(manifest.getBytes(StandardCharsets.UTF_8)));
	}

	private static String hashOnly(String hash) {
		return "{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}}";
	}

	private static String withQuery(String document, String hash) {
		return "{\"query\":" + quoted(document) + ",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}}";
	}

	private static String quoted(String text) {
		return json.writeValueAsString(text);
	}

	private record Received(String text, JsonNode body, long contentLength) {
	}

}
