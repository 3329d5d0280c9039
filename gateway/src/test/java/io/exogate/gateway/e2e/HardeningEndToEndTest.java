package io.exogate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a hostile or unlucky client could do to memory, budget and circuits, over real HTTP: each
 * refusal is a GraphQL error with a code and sends nothing to Exotel; one deadline bounds a request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HardeningEndToEndTest {

	static final Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().seed(5).rateLimitPerMinute(100_000).build());

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		E2eSupport.pointAt(sandbox, null, registry);
		// Retries on, to show the deadline bounds them too (a later registration of a key wins).
		registry.add("exogate.exotel.resilience.max-attempts", () -> "3");
		registry.add("exogate.request.deadline", () -> "2s");
		registry.add("exogate.security.introspection", () -> "true");
	}

	@LocalServerPort
	int port;

	HttpGraphQlTester graphQl;

	@BeforeEach
	void fresh() {
		this.graphQl = E2eSupport.tester(this.port);
		sandbox.reset();
	}

	@AfterEach
	void clearFaults() {
		E2eSupport.faults(sandbox, "DELETE", null);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void exponentOrHugePricesAreRefusedBeforeAnyUpstreamRequest() {
		for (String price : List.of("1e999999999", "1e100000", "1E3", "99999999", "0x10", "1.0000001")) {
			this.graphQl.document("{ calls(filter: { maxPrice: \"" + price + "\" }) { edges { node { sid } } } }").execute()
				.errors()
				.expect((error) -> code(error).equals("BAD_REQUEST") && error.getMessage().contains("maxPrice"))
				.verify()
				.path("calls").valueIsNull();
		}
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isZero();
	}

	@Test
	void aPageAskingV3ForEveryCallIsRefusedAsTooCostlyWithItsCost() {
		this.graphQl.document("{ calls(first: 100) { edges { node { app { name } digits } } } }").execute()
			.errors()
			.expect((error) -> code(error).equals("QUERY_TOO_COSTLY") && Integer.valueOf(101).equals(error.getExtensions().get("cost"))
					&& Integer.valueOf(50).equals(error.getExtensions().get("maxCost")))
			.verify()
			.path("calls").pathDoesNotExist();
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isZero();
	}

	@Test
	void aPageWhoseFieldsBatchFitsTheBudget() {
		this.graphQl.document("{ calls(first: 100) { edges { node { sid from price { amount } recording { url } agent { name } } } } }")
			.execute()
			.errors().verify()
			.path("calls.edges").entityList(Object.class).hasSize(100);
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isLessThanOrEqualTo(3);
	}

	@Test
	void verifiedRecordingAliasesBeyondTheBudgetAreRefused() {
		String aliases = IntStream.range(0, 20)
			.mapToObj((i) -> "r" + i + ": recording(callSid: \"sid" + i + "\", verify: true) { url }")
			.collect(Collectors.joining(" "));
		this.graphQl.document("{ " + aliases + " }").execute()
			.errors()
			.expect((error) -> code(error).equals("QUERY_TOO_COSTLY"))
			.verify();
		assertThat(sandbox.stats().get("media")).isZero();
		assertThat(E2eSupport.apiRequests(sandbox)).isZero();
	}

	@Test
	void threeHundredAliasesAreRefusedAsTooComplex() {
		String aliases = IntStream.range(0, 300).mapToObj((i) -> "a" + i + ": accounts { sid }").collect(Collectors.joining(" "));
		this.graphQl.document("{ " + aliases + " }").execute()
			.errors()
			.expect((error) -> code(error).equals("QUERY_TOO_COMPLEX") && Integer.valueOf(300).equals(error.getExtensions().get("aliases")))
			.verify();
	}

	@Test
	void deepNestingIsRefusedAsTooComplex() {
		String deep = "{ __schema { types { fields { type " + "{ ofType ".repeat(16) + "{ name }" + " }".repeat(16) + " } } } }";
		this.graphQl.document(deep).execute()
			.errors()
			.expect((error) -> code(error).equals("QUERY_TOO_COMPLEX") && error.getExtensions().get("depth") != null)
			.verify();
	}

	@Test
	void graphiqlsIntrospectionQueryIsAnswered() {
		this.graphQl.document(graphql.introspection.IntrospectionQuery.INTROSPECTION_QUERY).execute()
			.errors().verify()
			.path("__schema.queryType.name").entity(String.class).isEqualTo("Query");
	}

	@Test
	void theSameRecordingAskedByManyAliasesIsOneUpstreamRequest() {
		String sid = this.graphQl.document("{ calls(first: 1, filter: { hasRecording: true, sort: OLDEST_FIRST }) { edges { node { sid } } } }").execute()
			.errors().verify()
			.path("calls.edges[0].node.sid").entity(String.class).get();
		sandbox.reset();
		String aliases = IntStream.range(0, 25)
			.mapToObj((i) -> "r" + i + ": recording(callSid: \"" + sid + "\") { status url }")
			.collect(Collectors.joining(" "));
		this.graphQl.document("{ " + aliases + " }").execute().errors().verify()
			.path("r24.status").entity(String.class).isEqualTo("AVAILABLE");
		assertThat(E2eSupport.apiRequests(sandbox)).as("%s", sandbox.stats()).isEqualTo(1);
	}

	@Test
	void whenV4IsDownTheRootFieldsThatResolvedAreStillReturned() {
		E2eSupport.faults(sandbox, "POST", "{\"v4\":{\"forcedStatus\":503}}");
		this.graphQl.document("{ a: calls(first: 2) { edges { node { sid } } } "
				+ "b: calls(first: 2, filter: { statuses: [MISSED] }) { edges { node { sid } } } }")
			.execute()
			.errors()
			.expect((error) -> code(error).equals("UPSTREAM_UNAVAILABLE") && error.getPath().equals("b"))
			.verify()
			.path("a.edges").entityList(Object.class).hasSize(2)
			.path("b").valueIsNull();
	}

	@Test
	void aSlowExotelIsCutAtTheRequestDeadlineRetriesIncluded() {
		E2eSupport.faults(sandbox, "POST", "{\"v1\":{\"latencyMs\":8000}}");
		long started = System.nanoTime();
		this.graphQl.document("{ calls(first: 2) { edges { node { sid } } } }").execute()
			.errors()
			.expect((error) -> code(error).equals("UPSTREAM_UNAVAILABLE") && error.getMessage().contains("deadline"))
			.verify()
			.path("calls").valueIsNull();
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(took).as("a 2 s deadline, not three 8 s attempts").isLessThan(Duration.ofSeconds(6));
		assertThat(sandbox.stats().get("v1.calls.list")).as("no retry was started past the deadline").isEqualTo(1);
	}

	@Test
	void theDeadlineBoundsFieldsLoadedInBatchesToo() {
		String sid = this.graphQl.document("{ calls(first: 1) { edges { node { sid } } } }").execute()
			.errors().verify()
			.path("calls.edges[0].node.sid").entity(String.class).get();
		E2eSupport.faults(sandbox, "POST", "{\"v4\":{\"latencyMs\":8000}}");
		long started = System.nanoTime();
		this.graphQl.document("{ call(sid: \"" + sid + "\") { sid agent { name } } }").execute()
			.errors()
			.expect((error) -> code(error).equals("UPSTREAM_UNAVAILABLE") && error.getMessage().contains("deadline"))
			.verify()
			.path("call.sid").entity(String.class).isEqualTo(sid)
			.path("call.agent").valueIsNull();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
	}

	private static String code(ResponseError error) {
		return String.valueOf(error.getExtensions().get("code"));
	}

}
