package io.exogate.gateway.export;

import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants;
import java.util.List;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Following an export: its state now, each status change, completion once finished; tenants apart; callbacks idempotent. */
class ExportsTest {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	private final Exports exports = new Exports(new InProcessExportStore(CLOCK, Duration.ofDays(1), 100), ExportEvents.inProcess(),
			new ExportForwarder(new ExportCallbacks(),
					Tenants.of(List.of(), List.of("acme-1"), true), new Audit(CLOCK), 1, Duration.ofMillis(10), Duration.ofSeconds(1)), CLOCK);

	@Test
	void aWatchEmitsTheStateNowThenTheChangeAndCompletes() {
		this.exports.requested("acme", "acme-1", new RecordingExport("exp_1", ExportStatus.PROCESSING, null, null), null).block();
		this.exports.watch("acme", "exp_1")
			.as(StepVerifier::create)
			.expectNextMatches((state) -> state.status() == ExportStatus.PROCESSING)
			.then(() -> this.exports.callback("acme-1", ExportCallback.parse(
					"{\"export_id\":\"exp_1\",\"status\":\"processing\"}")).block())
			.then(() -> this.exports.callback("acme-1", ExportCallback.parse(
					"{\"export_id\":\"exp_1\",\"status\":\"completed\",\"download_url\":\"https://x.example/a.zip\",\"recording_count\":3}"))
				.block())
			.expectNextMatches((state) -> state.status() == ExportStatus.READY && state.recordingCount() == 3)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anotherTenantsOrAccountsExportIsUnknownAndAFinishedOneChangesNoMore() {
		this.exports.requested("acme", "acme-1", new RecordingExport("exp_2", ExportStatus.PROCESSING, null, null), null).block();
		this.exports.watch("beta", "exp_2").as(StepVerifier::create).verifyComplete();
		this.exports.find("beta", "exp_2").as(StepVerifier::create).verifyComplete();
		String failed = "{\"export_id\":\"exp_2\",\"status\":\"failed\"}";
		this.exports.callback("beta-1", ExportCallback.parse(failed)).as(StepVerifier::create).verifyComplete();
		this.exports.callback("acme-1", ExportCallback.parse(failed)).as(StepVerifier::create).expectNext(true).verifyComplete();
		this.exports.callback("acme-1", ExportCallback.parse(failed)).as(StepVerifier::create).expectNext(false).verifyComplete();
		this.exports.callback("acme-1", ExportCallback.parse(
				"{\"export_id\":\"exp_2\",\"status\":\"completed\",\"download_url\":\"https://x.example/a.zip\"}"))
			.as(StepVerifier::create)
			.expectNext(false)
			.verifyComplete();
		this.exports.watch("acme", "exp_2")
			.as(StepVerifier::create)
			.expectNextMatches((state) -> state.status() == ExportStatus.FAILED)
			.verifyComplete();
	}

}
