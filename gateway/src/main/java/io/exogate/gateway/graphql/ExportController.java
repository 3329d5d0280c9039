package io.exogate.gateway.graphql;

import io.exogate.gateway.account.Accounts;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.RecordingExports;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import java.net.URI;
import java.time.Instant;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/** {@code requestRecordingExport}. */
@Controller
public class ExportController {

	private final RecordingExports exports;

	private final Accounts accounts;

	public ExportController(RecordingExports exports, Accounts accounts) {
		this.exports = exports;
		this.accounts = accounts;
	}

	@MutationMapping
	public Mono<Payload> requestRecordingExport(@Argument ExportInput input) {
		return Mono.defer(() -> {
			String account = this.accounts.resolve(input.account());
			URI callback;
			try {
				callback = URI.create(input.callbackUrl());
			}
			catch (IllegalArgumentException ex) {
				throw new BadRequestException("callbackUrl is not a URL");
			}
			if (input.format() == RecordingFormat.UNKNOWN) {
				throw new BadRequestException("format takes MP3 or WAV; UNKNOWN only describes answers");
			}
			RecordingExportRequest request = new RecordingExportRequest(new TimeWindow(input.from(), input.to()),
					(input.format() != null) ? input.format() : RecordingFormat.MP3, callback);
			return this.exports.requestExport(account, request)
				.map((export) -> new Payload(new ExportView(export.exportId(), export.status(),
						(export.estimatedTime() != null) ? Math.toIntExact(export.estimatedTime().getSeconds()) : null,
						export.callbackUrl().toString())));
		});
	}

	/** The mutation's input. */
	public record ExportInput(String account, Instant from, Instant to, RecordingFormat format, String callbackUrl) {
	}

	/** The mutation's payload. */
	public record Payload(ExportView export) {
	}

	/** An accepted export. */
	public record ExportView(String id, ExportStatus status, Integer estimatedSeconds, String callbackUrl) {
	}

}
