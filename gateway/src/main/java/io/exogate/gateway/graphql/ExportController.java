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
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.RecordingExports;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
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
	 * Starts an export of the caller's account to a callback its tenant allows. Every request is exactly
	 * one {@code export.requested} audit event, whatever ends it: {@code accepted}, {@code refused} (the
	 * request was not acceptable: no or another tenant's account, format, window, callback, or Exotel
	 * said so), {@code failed} (Exotel failed, or answered nothing) or {@code cancelled} (the client went
	 * away first; the detail says whether the request had been sent to Exotel). The event names the
	 * callback's host only: its query may hold the receiver's secret. An account of another tenant is
	 * also its {@code access.refused} event.
	 */
	@MutationMapping
	public Mono<Payload> requestRecordingExport(@Argument ExportInput input, GraphQLContext context) {
		return Mono.defer(() -> {
			Trail trail = new Trail(context.get(CallerScope.CALLER), input);
			return Mono.defer(() -> export(input, context, trail))
				.doOnNext((payload) -> trail.write("accepted", "export " + payload.export().id()))
				.doOnError((ex) -> {
					boolean refused = trail.upstream ? ex instanceof BadRequestException : ex instanceof ExogateException;
					trail.write(refused ? "refused" : "failed", refused ? ex.getMessage() : code(ex));
				})
				.switchIfEmpty(Mono.defer(() -> {
					trail.write("failed", "no answer from Exotel");
					return Mono.error(new UpstreamUnavailableException("Exotel gave no answer to the export request: it may"
							+ " or may not have started; look for its callback before asking again"));
				}))
				.doOnCancel(() -> trail.write("cancelled",
						trail.upstream ? "after the request was sent to Exotel" : "before the request was sent to Exotel"));
		});
	}

	private Mono<Payload> export(ExportInput input, GraphQLContext context, Trail trail) {
		Tenant tenant = CallerScope.tenant(context);
		String account = this.accounts.resolve(context, input.account(), "requestRecordingExport");
		trail.account = account;
		RecordingFormat format = (input.format() != null) ? input.format() : RecordingFormat.MP3;
		if (format == RecordingFormat.UNKNOWN) {
			throw new BadRequestException("format takes MP3 or WAV; UNKNOWN only describes answers");
		}
		TimeWindow window = new TimeWindow(input.from(), input.to());
		return this.callbacks.check(input.callbackUrl(), tenant.exportCallbacks(), tenant.allowPrivateCallbacks())
			.flatMap((callback) -> {
				trail.callbackHost = callback.getHost();
				RecordingExportRequest request = new RecordingExportRequest(window, format, callback);
				trail.upstream = true;
				return this.exports.requestExport(account, request);
			})
			.map((export) -> new Payload(new ExportView(export.exportId(), export.status(),
					(export.estimatedTime() != null) ? Math.toIntExact(export.estimatedTime().getSeconds()) : null,
					export.callbackUrl().toString())));
	}

	private static String code(Throwable ex) {
		return (ex instanceof ExogateException known) ? known.code() : ex.getClass().getSimpleName();
	}

	private static String host(String url) {
		try {
			return URI.create(url).getHost();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return null;
		}
	}

	/** The one audit event of one request, written by whichever outcome comes first. */
	private final class Trail {

		private final Caller caller;

		private final String format;

		private final AtomicBoolean written = new AtomicBoolean();

		private volatile String account;

		private volatile String callbackHost;

		/** Whether the request was handed to Exotel: from then on only Exotel's own refusal is {@code refused}. */
		private volatile boolean upstream;

		Trail(Caller caller, ExportInput input) {
			this.caller = caller;
			this.account = input.account();
			this.format = (input.format() != null) ? input.format().name() : RecordingFormat.MP3.name();
			this.callbackHost = host(input.callbackUrl());
		}

		void write(String result, String detail) {
			if (this.written.compareAndSet(false, true)) {
				ExportController.this.audit.export(this.caller, this.account, this.format, this.callbackHost, result, detail);
			}
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
