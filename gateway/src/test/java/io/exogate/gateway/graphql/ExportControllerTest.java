package io.exogate.gateway.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import graphql.GraphQLContext;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.export.ExportEvents;
import io.exogate.gateway.export.ExportForwarder;
import io.exogate.gateway.export.Exports;
import io.exogate.gateway.export.InProcessExportStore;
import io.exogate.gateway.webhook.WebhookLinks;
import io.exogate.gateway.webhook.WebhookSecrets;
import org.springframework.mock.env.MockEnvironment;
import io.exogate.gateway.graphql.ExportController.ExportInput;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.gateway.upstream.UpstreamMode;
import io.exogate.model.account.Account;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.RecordingExports;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExport;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** Every {@code requestRecordingExport} is exactly one {@code export.requested} audit event, however it ends. */
class ExportControllerTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-11-23T10:15:00Z");

	private static final Caller CALLER = new Caller("acme", "key:9f86d081884c", "api-key");

	private static final Tenant ACME = new Tenant("acme", List.of("acme-1", "acme-2"), "acme-1", null, 600, null,
			List.of("https://hooks.acme.example/exotel/"), false);

	private static final Tenant NO_DEFAULT = new Tenant("acme", List.of("acme-1", "acme-2"), null, null, 600, null,
			List.of("https://hooks.acme.example/exotel/"), false);

	private static final String CALLBACK = "https://hooks.acme.example/exotel/done?secret=receiver-secret-77";

	private final Audit audit = new Audit(Clock.fixed(NOW, ZoneOffset.UTC));

	private final Logger logger = (Logger) LoggerFactory.getLogger(Audit.LOGGER);

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private final AtomicInteger asked = new AtomicInteger();

	private final List<RecordingExportRequest> requests = new CopyOnWriteArrayList<>();

	private Level level;

	@BeforeEach
	void capture() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.events.list = new CopyOnWriteArrayList<>();
		this.events.start();
		this.logger.addAppender(this.events);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.events);
		this.events.stop();
		this.logger.setLevel(this.level);
	}

	@Test
	void anAcceptedExportIsOneEvent() {
		ExportController controller = controller((request) -> Mono.just(new RecordingExport("export_1", ExportStatus.PROCESSING,
				Duration.ofMinutes(5), request.callbackUrl())));
		controller.requestRecordingExport(input("acme-2", RecordingFormat.WAV, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.assertNext((payload) -> assertThat(payload.export().id()).isEqualTo("export_1"))
			.verifyComplete();
		assertThat(this.requests).singleElement().satisfies((request) -> assertThat(request.format()).isEqualTo(RecordingFormat.WAV));
		assertThat(single()).containsEntry("result", "accepted")
			.containsEntry("account", "acme-2")
			.containsEntry("format", "WAV")
			.containsEntry("callbackHost", "hooks.acme.example")
			.containsEntry("detail", "export export_1");
	}

	@Test
	void anEmptyAnswerFromExotelIsAFailureAndOneEvent() {
		ExportController controller = controller((request) -> Mono.empty());
		controller.requestRecordingExport(input(null, null, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(UpstreamUnavailableException.class)
				.hasMessageContaining("look for its callback before asking again"))
			.verify();
		assertThat(this.asked).hasValue(1);
		assertThat(single()).containsEntry("result", "failed").containsEntry("account", "acme-1").containsEntry("format", "MP3");
	}

	@Test
	void aClientThatGoesAwayAfterTheRequestWasSentToExotelIsOneCancelledEvent() {
		ExportController controller = controller((request) -> Mono.never());
		controller.requestRecordingExport(input(null, null, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.expectSubscription()
			.then(() -> assertThat(this.asked).hasValue(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(single()).containsEntry("result", "cancelled")
			.containsEntry("account", "acme-1")
			.containsEntry("callbackHost", "hooks.acme.example")
			.containsEntry("detail", "after the request was sent to Exotel");
	}

	@Test
	void aClientThatGoesAwayWhileTheCallbackIsCheckedIsOneCancelledEvent() {
		ExportController controller = new ExportController(exports((request) -> Mono.just(accepted(request))), accounts(),
				new ExportCallbacks((host) -> Mono.never()), this.audit, links(), tracked());
		controller.requestRecordingExport(input(null, null, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.expectSubscription()
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.asked).hasValue(0);
		assertThat(single()).containsEntry("result", "cancelled").containsEntry("detail", "before the request was sent to Exotel");
	}

	@Test
	void anExotelFailureIsOneFailedEvent() {
		ExportController controller = controller((request) -> Mono.error(new UpstreamUnavailableException("Exotel answered 503")));
		controller.requestRecordingExport(input(null, null, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.expectError(UpstreamUnavailableException.class)
			.verify();
		assertThat(single()).containsEntry("result", "failed").containsEntry("detail", "UPSTREAM_UNAVAILABLE");
	}

	@Test
	void exotelsOwnRefusalIsOneRefusedEvent() {
		ExportController controller = controller((request) -> Mono.error(new BadRequestException("Exotel: window too large")));
		controller.requestRecordingExport(input(null, null, CALLBACK), context(ACME))
			.as(StepVerifier::create)
			.expectError(BadRequestException.class)
			.verify();
		assertThat(single()).containsEntry("result", "refused").containsEntry("detail", "Exotel: window too large");
	}

	@Test
	void noAccountWithoutADefaultIsOneRefusedEvent() {
		refused(input(null, null, CALLBACK), NO_DEFAULT, BadRequestException.class, "Several Exotel accounts are available");
		assertThat(single()).containsEntry("account", null).containsEntry("callbackHost", "hooks.acme.example");
	}

	@Test
	void anUnknownFormatIsOneRefusedEvent() {
		refused(input(null, RecordingFormat.UNKNOWN, CALLBACK), ACME, BadRequestException.class, "format takes MP3 or WAV");
		assertThat(single()).containsEntry("format", "UNKNOWN").containsEntry("account", "acme-1");
	}

	@Test
	void aBadWindowIsOneRefusedEvent() {
		refused(new ExportInput(null, NOW, NOW.minusSeconds(60), null, CALLBACK), ACME, BadRequestException.class,
				"must start before it ends");
		this.events.list.clear();
		refused(new ExportInput(null, null, NOW, null, CALLBACK), ACME, BadRequestException.class, "needs both a start and an end");
		this.events.list.clear();
		refused(new ExportInput(null, NOW.minus(Duration.ofDays(40)), NOW, null, CALLBACK), ACME, BadRequestException.class,
				"spans at most 31 days");
	}

	@Test
	void aCallbackOutsideTheTenantsPrefixesIsOneRefusedEvent() {
		refused(input(null, null, "https://evil.example/x?secret=receiver-secret-77"), ACME, BadRequestException.class,
				"is not under an allowed prefix");
		assertThat(single()).containsEntry("callbackHost", "evil.example");
		assertThat(lines()).singleElement().satisfies((line) -> assertThat(line).doesNotContain("receiver-secret-77"));
	}

	@Test
	void anUnknownAccountIsOneRefusedEvent() {
		refused(input("nope", null, CALLBACK), ACME, NotFoundException.class, "No Exotel account 'nope'");
		assertThat(single()).containsEntry("account", "nope");
	}

	@Test
	void anotherTenantsAccountIsItsCrossTenantEventAndOneRefusedExportEvent() {
		refused(input("globex-1", null, CALLBACK), ACME, NotFoundException.class, "No Exotel account 'globex-1'");
		assertThat(parsed()).hasSize(2);
		assertThat(parsed()).filteredOn((event) -> "access.refused".equals(event.get("event"))).singleElement()
			.satisfies((event) -> assertThat(event).containsEntry("result", "cross-tenant").containsEntry("account", "globex-1"));
		assertThat(single()).containsEntry("account", "globex-1");
	}

	private void refused(ExportInput input, Tenant tenant, Class<? extends Throwable> type, String message) {
		ExportController controller = controller((request) -> Mono.just(accepted(request)));
		controller.requestRecordingExport(input, context(tenant))
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(type).hasMessageContaining(message))
			.verify();
		assertThat(this.asked).as("asked Exotel").hasValue(0);
		assertThat(single()).containsEntry("result", "refused").containsEntry("tenant", "acme")
			.containsEntry("who", CALLER.client())
			.hasEntrySatisfying("detail", (detail) -> assertThat((String) detail).contains(message));
	}

	/** The one {@code export.requested} event written. */
	private Map<String, Object> single() {
		List<Map<String, Object>> exports = parsed().stream().filter((event) -> "export.requested".equals(event.get("event"))).toList();
		assertThat(exports).hasSize(1);
		assertThat(exports.get(0)).containsEntry("via", "requestRecordingExport");
		return exports.get(0);
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> parsed() {
		return lines().stream().map((line) -> (Map<String, Object>) JSON.readValue(line, Map.class)).toList();
	}

	private List<String> lines() {
		return this.events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
	}

	private ExportController controller(Function<RecordingExportRequest, Mono<RecordingExport>> exotel) {
		ExportCallbacks callbacks = new ExportCallbacks((host) -> Mono.just(List.of(address())));
		return new ExportController(exports(exotel), accounts(), callbacks, this.audit, links(), tracked());
	}

	private static WebhookLinks links() {
		MockEnvironment environment = new MockEnvironment().withProperty("exogate.public-base-url", "https://exogate.acme.example");
		return new WebhookLinks(WebhookSecrets.of(Map.of("acme-1", "acme-1-callback-secret-0123", "acme-2",
				"acme-2-callback-secret-4567")), environment);
	}

	private Exports tracked() {
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		return new Exports(new InProcessExportStore(clock, Duration.ofDays(1), 100), ExportEvents.inProcess(),
				new ExportForwarder(new ExportCallbacks(), null, this.audit, 1, Duration.ofMillis(10), Duration.ofSeconds(1)), clock);
	}

	private RecordingExports exports(Function<RecordingExportRequest, Mono<RecordingExport>> exotel) {
		return (account, request) -> Mono.defer(() -> {
			this.asked.incrementAndGet();
			this.requests.add(request);
			return exotel.apply(request);
		});
	}

	private Accounts accounts() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("audit", this.audit));
		List<Account> configured = List.of(new Account("acme-1", "SINGAPORE", 200), new Account("acme-2", "SINGAPORE", 200),
				new Account("globex-1", "MUMBAI", 200));
		return new Accounts(() -> configured, UpstreamMode.EXOTEL, beans.getBeanProvider(Audit.class));
	}

	private static RecordingExport accepted(RecordingExportRequest request) {
		return new RecordingExport("export_1", ExportStatus.PROCESSING, null, request.callbackUrl());
	}

	private static ExportInput input(String account, RecordingFormat format, String callback) {
		return new ExportInput(account, NOW.minus(Duration.ofDays(1)), NOW, format, callback);
	}

	private static GraphQLContext context(Tenant tenant) {
		return GraphQLContext.of(Map.of(CallerScope.CALLER, CALLER, CallerScope.TENANT, tenant));
	}

	private static InetAddress address() {
		try {
			return InetAddress.getByName("203.0.113.10");
		}
		catch (java.net.UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}


	@Test
	void anExotelErrorQuotingTheWebhookNeverShowsItsSecret() {
		java.net.URI webhook = java.net.URI.create("https://gw.example/webhooks/exotel/acme/export?secret=s3cr3t-callback-value");
		Throwable refused = ExportController.withoutWebhook(
				new BadRequestException("callback_url " + webhook + " is not reachable"), webhook);
		assertThat(refused).isInstanceOf(BadRequestException.class);
		assertThat(refused.getMessage()).doesNotContain("s3cr3t-callback-value").contains("export webhook");
		Throwable failed = ExportController.withoutWebhook(
				new UpstreamUnavailableException("bad secret=s3cr3t-callback-value"), webhook);
		assertThat(failed).isInstanceOf(UpstreamUnavailableException.class);
		assertThat(failed.getMessage()).doesNotContain("s3cr3t-callback-value");
		BadRequestException plain = new BadRequestException("window too long");
		assertThat(ExportController.withoutWebhook(plain, webhook)).isSameAs(plain);
	}

}
