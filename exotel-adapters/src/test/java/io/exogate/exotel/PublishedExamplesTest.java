package io.exogate.exotel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.exogate.exotel.test.SettableClock;
import io.exogate.exotel.v1.V1Client;
import io.exogate.exotel.v3.V3Client;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.model.error.UnauthorizedException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The adapters read Exotel's published example payloads, served verbatim, and its error answers. */
class PublishedExamplesTest {

	private WireMockServer server;

	private ExotelConnections connections;

	private V1Client v1;

	private V3Client v3;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeEach
	void start() {
		this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.server.start();
		URI base = URI.create(this.server.baseUrl());
		ExotelProperties properties = new ExotelProperties(List.of(new ExotelProperties.Account("your_sid", null, "k", "t", "v4",
				new ExotelProperties.BaseUrls(base, base, base), null, null, null, null)), null,
				new ExotelProperties.Resilience(1, null, null, null, null, null), null, null, null);
		AdapterMetrics metrics = new AdapterMetrics(this.registry);
		this.connections = new ExotelConnections(properties, RequestBudget.inProcess(properties, metrics), metrics);
		SettableClock clock = new SettableClock(Instant.parse("2022-11-03T17:30:00Z"));
		this.v1 = new V1Client(this.connections, clock);
		this.v3 = new V3Client(this.connections, clock);
	}

	@AfterEach
	void stop() throws Exception {
		this.connections.close();
		this.server.stop();
	}

	@Test
	void v1CallDetailsWithLegs() {
		serve("/v1/Accounts/your_sid/Calls/b6cfaf5f5cef3ca0fc937749ef96d245.json", 200, example("v1_call_details_details_true.json"));
		this.v1.call("your_sid", "b6cfaf5f5cef3ca0fc937749ef96d245")
			.as(StepVerifier::create)
			.assertNext((call) -> {
				assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
				assertThat(call.direction()).isEqualTo(CallDirection.OUTBOUND);
				assertThat(call.rawDirection()).isEqualTo("outbound-api");
				assertThat(call.createdAt()).as("IST, not UTC").isEqualTo(Instant.parse("2017-03-03T05:18:33Z"));
				assertThat(call.endedAt()).isEqualTo(Instant.parse("2017-03-03T05:19:50Z"));
				assertThat(call.duration()).isEqualTo(Duration.ofSeconds(17));
				assertThat(call.price().amount()).isEqualByComparingTo(new BigDecimal("1.500"));
				assertThat(call.answeredBy()).isNull();
				assertThat(call.conversationDuration()).isEqualTo(Duration.ofSeconds(8));
				assertThat(call.legs()).hasSize(2);
				assertThat(call.legs().get(1).onCallDuration()).isEqualTo(Duration.ofSeconds(8));
				assertThat(call.legs().get(1).rawStatus()).isEqualTo("completed");
				assertThat(call.sources()).containsExactly(ApiVersion.V1);
				assertThat(call.from()).as("masked in the example, so no number: kept as sent").isEqualTo("0XXXXX30240");
				assertThat(call.to()).isEqualTo("0XXXXX38847");
				assertThat(call.exophone()).isEqualTo("0XXXXXX4890");
			})
			.verifyComplete();
		assertThat(this.registry.counter("exotel.requests", "account", "your_sid", "version", "v1", "endpoint", "calls.get",
				"outcome", "success").count()).isEqualTo(1);
		assertThat(this.registry.find("exotel.request.latency").tag("version", "v1").timer().count()).isEqualTo(1);
		this.server.verify(getRequestedFor(urlPathEqualTo("/v1/Accounts/your_sid/Calls/b6cfaf5f5cef3ca0fc937749ef96d245.json"))
			.withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("k", "t")));
	}

	@Test
	void v3ActiveCallHasNoEndTime() {
		serve("/v3/accounts/your_sid/calls/cabfb1dfa8c5e1c7f2c458423b7716b3", 200, example("v3_call_details_active.json"));
		this.v3.call("your_sid", "cabfb1dfa8c5e1c7f2c458423b7716b3")
			.as(StepVerifier::create)
			.assertNext((call) -> {
				assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
				assertThat(call.endedAt()).isNull();
				assertThat(call.startedAt()).isEqualTo(Instant.parse("2022-11-03T17:24:57Z"));
				assertThat(call.exophone()).isEqualTo("+911414941199");
			})
			.verifyComplete();
	}

	@Test
	void v3TerminalCall() {
		serve("/v3/accounts/your_sid/calls/cabfb1dfa8c5e1c7f2c458423b7716b3", 200, example("v3_call_details_terminal.json"));
		this.v3.call("your_sid", "cabfb1dfa8c5e1c7f2c458423b7716b3")
			.as(StepVerifier::create)
			.assertNext((call) -> {
				assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
				assertThat(call.endedAt()).isEqualTo(Instant.parse("2022-11-03T17:26:04Z"));
				assertThat(call.duration()).isEqualTo(Duration.ofSeconds(84));
				assertThat(call.conversationDuration()).isEqualTo(Duration.ofSeconds(59));
				assertThat(call.app()).isNull();
				assertThat(call.digits()).isNull();
			})
			.verifyComplete();
	}

	@Test
	void v1NumbersBecomeE164AndWhatIsNoNumberIsKeptAsSent() {
		serve("/v1/Accounts/your_sid/Calls/n1.json", 200, "{\"Call\":{\"Sid\":\"n1\",\"Status\":\"completed\","
				+ "\"From\":\"09800758655\",\"To\":\"919800758656\",\"PhoneNumberSid\":\"01414941199\"}}");
		serve("/v1/Accounts/your_sid/Calls/n2.json", 200, "{\"Call\":{\"Sid\":\"n2\",\"Status\":\"completed\","
				+ "\"From\":\"+91 98007 58655\",\"To\":\"0XXXXX38847\","
				+ "\"PhoneNumberSid\":\"5b7e8c3a-8f0e-4b0a-9c39-1d2e3f4a5b6c\"}}");
		this.v1.call("your_sid", "n1").as(StepVerifier::create).assertNext((call) -> {
			assertThat(call.from()).isEqualTo("+919800758655");
			assertThat(call.to()).isEqualTo("+919800758656");
			assertThat(call.exophone()).isEqualTo("+911414941199");
		}).verifyComplete();
		this.v1.call("your_sid", "n2").as(StepVerifier::create).assertNext((call) -> {
			assertThat(call.from()).isEqualTo("+919800758655");
			assertThat(call.to()).as("masked, not read as keypad letters").isEqualTo("0XXXXX38847");
			assertThat(call.exophone()).as("a PhoneNumberSid may be a UUID").isEqualTo("5b7e8c3a-8f0e-4b0a-9c39-1d2e3f4a5b6c");
		}).verifyComplete();
	}

	@Test
	void v1NumberFiltersGoInE164AsTheDocsAskHoweverTheyWereWritten() {
		serve("/v1/Accounts/your_sid/Calls.json", 200, "{\"Metadata\":{\"Total\":0,\"PageSize\":0},\"Calls\":[]}");
		CallQuery query = CallQuery.builder()
			.customerNumbers(List.of("09800758655", "919800758655", "98007 58655", "+919800758656"))
			.exophones(List.of("01414941199"))
			.direction(CallDirection.INBOUND)
			.window(TimeWindow.endingAt(Instant.parse("2022-11-03T17:30:00Z"), Duration.ofDays(1)))
			.build();
		this.v1.search("your_sid", query, PageRequest.first(10))
			.as(StepVerifier::create)
			.assertNext((page) -> assertThat(page.calls()).isEmpty())
			.verifyComplete();
		this.server.verify(1, getRequestedFor(urlPathEqualTo("/v1/Accounts/your_sid/Calls.json"))
			.withQueryParam("From", equalTo("+919800758655,+919800758656"))
			.withQueryParam("PhoneNumber", equalTo("+911414941199")));
	}

	@Test
	void thePublished429BodyGivesTheRetryDelay() {
		serve("/v1/Accounts/your_sid/Calls/abc.json", 429, example("error_429_rate_limited.json"));
		this.v1.call("your_sid", "abc")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOfSatisfying(RateLimitedException.class,
					(limited) -> assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30))));
		assertThat(this.registry.counter("exotel.rate_limited", "account", "your_sid", "version", "v1").count()).isEqualTo(1);
	}

	@Test
	void aRetryAfterHeaderWinsOverTheMessage() {
		this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls/abc.json"))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody(example("error_429_rate_limited.json"))));
		this.v1.call("your_sid", "abc")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> assertThat(((RateLimitedException) error).retryAfter()).isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void anHtml5xxIsUpstreamUnavailableNotAParseError() {
		this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls/abc.json"))
			.willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
				.withBody("<html><body><h1>502 Bad Gateway</h1></body></html>")));
		this.v1.call("your_sid", "abc")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(UpstreamUnavailableException.class)
				.hasMessageContaining("502").hasMessageNotContaining("<html>"));
	}

	@Test
	void unreadable2xxIsUpstreamUnavailable() {
		serve("/v1/Accounts/your_sid/Calls/abc.json", 200, "<html>maintenance</html>");
		this.v1.call("your_sid", "abc").as(StepVerifier::create).verifyError(UpstreamUnavailableException.class);
	}

	@Test
	void statusesMapToTypedErrorsWithoutLeakingCredentials() {
		serve("/v1/Accounts/your_sid/Calls/a401.json", 401, "{\"RestException\":{\"Status\":401,\"Message\":\"Authentication failed\"}}");
		serve("/v1/Accounts/your_sid/Calls/a404.json", 404, "{\"RestException\":{\"Status\":404,\"Message\":\"Not found\"}}");
		this.v1.call("your_sid", "a401")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(UnauthorizedException.class)
				.hasMessage("Exotel v1 refused the configured credentials (401)")
				.hasMessageNotContaining("Authentication failed").hasMessageNotContaining("Basic").hasMessageNotContaining(":t"));
		this.v1.call("your_sid", "a404").as(StepVerifier::create).verifyError(NotFoundException.class);
	}

	@Test
	void bothCanceledSpellingsAndAnUnknownStatusKeepTheirRawValue() {
		serve("/v1/Accounts/your_sid/Calls/c1.json", 200, "{\"Call\":{\"Sid\":\"c1\",\"Status\":\"cancelled\",\"Direction\":\"inbound\"}}");
		serve("/v1/Accounts/your_sid/Calls/c2.json", 200, "{\"Call\":{\"Sid\":\"c2\",\"Status\":\"canceled\",\"Direction\":\"outbound-dial\"}}");
		serve("/v1/Accounts/your_sid/Calls/c3.json", 200, "{\"Call\":{\"Sid\":\"c3\",\"Status\":\"voicemail\",\"Direction\":\"sideways\","
				+ "\"Duration\":17,\"Price\":1.5,\"EndTime\":\"1970-01-01 05:30:00\",\"RecordingUrl\":\"\"}}");
		this.v1.call("your_sid", "c1").as(StepVerifier::create)
			.assertNext((call) -> assertThat(call.status()).isEqualTo(CallStatus.CANCELED)).verifyComplete();
		this.v1.call("your_sid", "c2").as(StepVerifier::create)
			.assertNext((call) -> assertThat(call.status()).isEqualTo(CallStatus.CANCELED)).verifyComplete();
		this.v1.call("your_sid", "c3").as(StepVerifier::create).assertNext((call) -> {
			assertThat(call.status()).isEqualTo(CallStatus.UNKNOWN);
			assertThat(call.rawStatus()).isEqualTo("voicemail");
			assertThat(call.direction()).isEqualTo(CallDirection.UNKNOWN);
			assertThat(call.rawDirection()).isEqualTo("sideways");
			assertThat(call.duration()).as("a number, not a string").isEqualTo(Duration.ofSeconds(17));
			assertThat(call.price().amount()).isEqualByComparingTo("1.5");
			assertThat(call.endedAt()).as("the epoch placeholder means unknown").isNull();
		}).verifyComplete();
	}

	private void serve(String path, int status, String body) {
		this.server.stubFor(get(urlPathEqualTo(path))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
	}

	static String example(String name) {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null) {
			Path candidate = dir.resolve("shared").resolve("exotel-docs").resolve("examples").resolve(name);
			if (Files.exists(candidate)) {
				try {
					return Files.readString(candidate);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}
			dir = dir.getParent();
		}
		throw new IllegalStateException("Exotel's published examples are expected in ../shared/exotel-docs/examples");
	}

}
