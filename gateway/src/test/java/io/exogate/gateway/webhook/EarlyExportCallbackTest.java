package io.exogate.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.gateway.TestSecrets;
import io.exogate.gateway.export.ExportEvents;
import io.exogate.gateway.export.ExportForwarder;
import io.exogate.gateway.export.Exports;
import io.exogate.gateway.export.InProcessExportStore;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Exotel's export callback arriving before the gateway has kept the export's state (Exotel answered
 * the request, the state not written yet) is told to come again, 503 with {@code Retry-After}, not
 * 404, which Exotel would not retry; once the request has ended an unknown export is 404 again.
 */
class EarlyExportCallbackTest {

	static final String SECRET = TestSecrets.register("early-export-callback-secret-4c1a9e");

	final Clock clock = Clock.systemUTC();

	final Exports exports = new Exports(new InProcessExportStore(this.clock, Duration.ofDays(1), 100), ExportEvents.inProcess(),
			new ExportForwarder(new ExportCallbacks(), Tenants.of(List.of(), List.of("acme-1"), true),
					new Audit(this.clock), 1, Duration.ofMillis(10), Duration.ofSeconds(1)),
			this.clock);

	final WebTestClient client = WebTestClient.bindToRouterFunction(RouterFunctions.route(
			RequestPredicates.POST(WebhookLinks.EXPORT),
			new ExportWebhook(WebhookSecrets.of(Map.of("acme-1", SECRET)), new Audit(this.clock), this.exports)::handle))
		.build();

	@Test
	void aCallbackBeforeTheStateIsKeptIs503ThenAppliedWhenSentAgain() {
		Sinks.One<RecordingExport> exotel = Sinks.one();
		// Exotel has not answered yet: the request is in flight, its state not kept.
		StepVerifier request = this.exports.whileRequesting("acme-1",
				exotel.asMono().flatMap((export) -> this.exports.requested("acme", "acme-1", export, null)))
			.as(StepVerifier::create)
			.expectNextMatches((state) -> state.id().equals("exp_early"))
			.expectComplete()
			.verifyLater();
		callback("exp_early").expectStatus().isEqualTo(503)
			.expectHeader().valueEquals("Retry-After", "5")
			.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("UNAVAILABLE");
		exotel.tryEmitValue(new RecordingExport("exp_early", ExportStatus.PROCESSING, null, null));
		request.verify(Duration.ofSeconds(5));
		callback("exp_early").expectStatus().isNoContent();
		assertThat(this.exports.find("acme", "exp_early").block(Duration.ofSeconds(5)).status()).isEqualTo(ExportStatus.READY);
	}

	@Test
	void withNoRequestInFlightAnUnknownExportIs404() {
		this.exports.whileRequesting("acme-1", Mono.error(new IllegalStateException("Exotel failed")))
			.as(StepVerifier::create)
			.verifyError(IllegalStateException.class);
		callback("exp_unknown").expectStatus().isNotFound().expectHeader().doesNotExist("Retry-After");
	}

	private WebTestClient.ResponseSpec callback(String id) {
		return this.client.post()
			.uri(WebhookLinks.PREFIX + "acme-1/export?secret=" + SECRET)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"export_id\":\"" + id + "\",\"status\":\"completed\",\"download_url\":\"https://x.example/a.zip\"}")
			.exchange();
	}

}
