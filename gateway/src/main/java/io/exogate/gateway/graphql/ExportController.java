package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants.Tenant;
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

	private final ExportCallbacks callbacks;

	private final Audit audit;

	public ExportController(RecordingExports exports, Accounts accounts, ExportCallbacks callbacks, Audit audit) {
		this.exports = exports;
		this.accounts = accounts;
		this.callbacks = callbacks;
		this.audit = audit;
	}

	/**
	 * Starts an export of the caller's account to a callback its tenant allows; every request, accepted
	 * or refused, is an audit event (the callback's host only: its query may hold the receiver's secret).
	 */
	@MutationMapping
	public Mono<Payload> requestRecordingExport(@Argument ExportInput input, GraphQLContext context) {
		return Mono.defer(() -> {
			Caller caller = CallerScope.caller(context);
			Tenant tenant = CallerScope.tenant(context);
			String account = this.accounts.resolve(context, input.account(), "requestRecordingExport");
			RecordingFormat format = (input.format() != null) ? input.format() : RecordingFormat.MP3;
			if (format == RecordingFormat.UNKNOWN) {
				throw new BadRequestException("format takes MP3 or WAV; UNKNOWN only describes answers");
			}
			return this.callbacks.check(input.callbackUrl(), tenant.exportCallbacks(), tenant.allowPrivateCallbacks())
				.doOnError(BadRequestException.class, (ex) -> this.audit.export(caller, account, format.name(),
						host(input.callbackUrl()), "refused", ex.getMessage()))
				.flatMap((callback) -> {
					RecordingExportRequest request = new RecordingExportRequest(new TimeWindow(input.from(), input.to()), format,
							callback);
					return this.exports.requestExport(account, request)
						.doOnNext((export) -> this.audit.export(caller, account, format.name(), callback.getHost(), "accepted",
								"export " + export.exportId()))
						.doOnError((ex) -> !(ex instanceof BadRequestException),
								(ex) -> this.audit.export(caller, account, format.name(), callback.getHost(), "failed", null))
						.doOnError(BadRequestException.class, (ex) -> this.audit.export(caller, account, format.name(),
								callback.getHost(), "refused", ex.getMessage()));
				})
				.map((export) -> new Payload(new ExportView(export.exportId(), export.status(),
						(export.estimatedTime() != null) ? Math.toIntExact(export.estimatedTime().getSeconds()) : null,
						export.callbackUrl().toString())));
		});
	}

	private static String host(String url) {
		try {
			return URI.create(url).getHost();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return null;
		}
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
