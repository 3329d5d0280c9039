package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.AbstractJacksonDecoder;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** The request guard with a 1 KB limit: what passes is handed on unchanged, what does not is refused as GraphQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "exogate.http.max-body-size=1KB")
@AutoConfigureWebTestClient
class GraphQlRequestGuardTest {

	private static final String REQUEST = "{\"query\":\"query Q($n: String!) { __type(name: $n) { name } }\","
			+ "\"variables\":{\"n\":\"Query\"},\"operationName\":\"Q\",\"extensions\":{},\"unknownMember\":true}";

	@Autowired
	WebTestClient client;

	@Autowired
	ServerCodecConfigurer codecs;

	@Test
	void aBodyOfExactlyTheLimitIsHandedOnUnchanged() {
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.parseMediaType("application/json;charset=UTF-8"))
			.bodyValue(padded(1024))
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.errors").doesNotExist()
			.jsonPath("$.data.__type.name").isEqualTo("Query");
	}

	@Test
	void aBodyStreamedInSmallPiecesIsReadWhole() {
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body(pieces(padded(1024), 10), DataBuffer.class)
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.data.__type.name").isEqualTo("Query");
	}

	@Test
	void oneByteMoreIsRefusedWhetherDeclaredOrStreamed() {
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(padded(1025))
			.exchange()
			.expectStatus().isEqualTo(413)
			.expectBody()
			.jsonPath("$.errors[0].extensions.code").isEqualTo("PAYLOAD_TOO_LARGE")
			.jsonPath("$.errors[0].message").isEqualTo("The request body is larger than the 1024 bytes the GraphQL endpoint accepts.");
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body(pieces(padded(1025), 10), DataBuffer.class)
			.exchange()
			.expectStatus().isEqualTo(413)
			.expectBody()
			.jsonPath("$.errors[0].extensions.code").isEqualTo("PAYLOAD_TOO_LARGE");
	}

	@Test
	void refusalsAnswerInTheGraphQlMediaTypeTheClientAccepts() {
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, GraphQlRequestGuard.GRAPHQL_RESPONSE)
			.bodyValue("[]")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(GraphQlRequestGuard.GRAPHQL_RESPONSE)
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("BAD_REQUEST");
		this.client.post().uri("/graphql").header("X-API-Key", "exogate-demo-key")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.ALL)
			.bodyValue("[]")
			.exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_JSON);
	}

	@Test
	void aCorsPreflightIsLeftToSpring() {
		this.client.options().uri("/graphql")
			.header("Origin", "https://dashboard.example")
			.header("Access-Control-Request-Method", "POST")
			.exchange()
			.expectStatus().value((status) -> assertThat(status).isNotEqualTo(405))
			.expectBody(String.class)
			.value((body) -> assertThat(String.valueOf(body)).doesNotContain("METHOD_NOT_ALLOWED"));
	}

	@Test
	void otherPathsAreNotGuarded() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void theServerCodecsHoldToTheSameLimit() {
		assertThat(this.codecs.getReaders())
			.filteredOn(DecoderHttpMessageReader.class::isInstance)
			.extracting((reader) -> ((DecoderHttpMessageReader<?>) reader).getDecoder())
			.filteredOn(AbstractJacksonDecoder.class::isInstance)
			.isNotEmpty()
			.allSatisfy((decoder) -> assertThat(((AbstractJacksonDecoder<?>) decoder).getMaxInMemorySize()).isEqualTo(1024));
	}

	/** The request, padded with trailing blanks to exactly {@code size} bytes. */
	private static String padded(int size) {
		return REQUEST + " ".repeat(size - REQUEST.getBytes(StandardCharsets.UTF_8).length);
	}

	private static Flux<DataBuffer> pieces(String body, int size) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return Flux.range(0, (bytes.length + size - 1) / size)
			.map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(Arrays.copyOfRange(bytes, i * size, Math.min(bytes.length, (i + 1) * size))));
	}

}
