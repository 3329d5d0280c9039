package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body check lets a persisted document named by hash or id through without a query, and nothing else. */
class PersistedQueryBodyCheckTest {

	private static final String HASH = "a".repeat(64);

	private final RequestBodyCheck check = new RequestBodyCheck();

	@Test
	void aHashOrADocumentIdStandsInForTheQuery() {
		assertThat(check("{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + HASH + "\"}},\"variables\":{}}")).isNull();
		assertThat(check("{\"documentId\":\"sha256:" + HASH + "\",\"operationName\":\"Q\"}")).isNull();
		assertThat(check("{\"query\":\"{ a }\",\"documentId\":\"" + HASH + "\"}")).isNull();
	}

	@Test
	void withoutQueryHashOrDocumentIdTheBodyIsStillRefused() {
		for (String body : new String[] { "{}", "{\"extensions\":{\"persistedQuery\":{\"version\":1}}}",
				"{\"extensions\":{\"persistedQuery\":{\"sha256Hash\":7}}}", "{\"documentId\":null}", "{\"documentId\":3}",
				"{\"extensions\":\"persistedQuery\"}" }) {
			Refusal refusal = check(body);
			assertThat(refusal).as(body).isNotNull();
			assertThat(refusal.code()).isEqualTo(Refusal.BAD_REQUEST);
			assertThat(refusal.message()).startsWith("The request has no \"query\"");
		}
	}

	@Test
	void theOtherMembersAreCheckedAsBefore() {
		String named = "\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + HASH + "\"}}";
		assertThat(check("{" + named + ",\"variables\":[]}").message()).isEqualTo("\"variables\" must be a JSON object or null, not an array.");
		assertThat(check("{" + named + ",\"operationName\":1}").message()).startsWith("\"operationName\" must be a string");
		assertThat(check("{\"query\":7,\"documentId\":\"" + HASH + "\"}").message()).startsWith("\"query\" must be a string");
	}

	private Refusal check(String body) {
		return this.check.check(body.getBytes(StandardCharsets.UTF_8));
	}

}
