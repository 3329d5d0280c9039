package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.export.ExportState;
import io.exogate.gateway.export.Exports;
import io.exogate.gateway.webhook.WebhookLinks;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.RateLimitedException;
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
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code requestRecordingExport}, and the {@code recordingExport} query and subscription. */
@Controller
public class ExportController {

	private final RecordingExports exports;

	private final Accounts accounts;

	private final ExportCallbacks callbacks;

	private final Audit audit;

	private final WebhookLinks links;

	private final Exports tracked;

	public ExportController(RecordingExports exports, Accounts accounts, ExportCallbacks callbacks, Audit audit,
			WebhookLinks links, Exports tracked) {
		this.exports = exports;
		this.accounts = accounts;
		this.callbacks = callbacks;
		this.audit = audit;
		this.links = links;
		this.tracked = tracked;
	}

	/** The caller's tenant's export; another tenant's id answers as an unknown one does. */
	@QueryMapping
	public Mono<ExportView> recordingExport(@Argument String id, GraphQLContext context) {
		Tenant tenant = CallerScope.tenant(context);
		return this.tracked.find(tenant.id(), id).map(ExportView::of).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/** The export's state now, then each change of its status; completes once it is finished. */
	@SubscriptionMapping("recordingExport")
	public Flux<ExportView> watchRecordingExport(@Argument String id, GraphQLContext context) {
		Tenant tenant = CallerScope.tenant(context);
		return this.tracked.watch(tenant.id(), id).map(ExportView::of).switchIfEmpty(Flux.error(() -> notFound(id)));
	}

	private static NotFoundException notFound(String id) {
		String shown = (id.length() > 64) ? id.substring(0, 64) + "..." : id;
		return new NotFoundException("No recording export '" + shown.replaceAll("\\p{Cntrl}", "?") + "'");
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
		URI webhook = this.links.export(account);
		if (webhook == null) {
			throw new BadRequestException("Exports of account " + account + " cannot be tracked: it has no callback secret"
					+ " (ask an operator to set exogate.exotel.accounts[].callback-secret)");
		}
		return this.callbacks.check(input.callbackUrl(), tenant.exportCallbacks(), tenant.allowPrivateCallbacks())
			.flatMap((callback) -> {
				trail.callbackHost = callback.getHost();
				// Exotel calls the gateway back; the gateway forwards the result to the client's callback.
				RecordingExportRequest request = new RecordingExportRequest(window, format, webhook);
				trail.upstream = true;
				// Marked in flight until the state is kept: a callback faster than that is told to come again.
				return this.tracked.whileRequesting(account, this.exports.requestExport(account, request)
					.onErrorMap((ex) -> withoutWebhook(ex, webhook))
					.flatMap((export) -> this.tracked.requested(tenant.id(), account, export, callback.toString())));
			})
			.map((state) -> new Payload(ExportView.of(state)));
	}

	/**
	 * An Exotel error that quotes the callback it was given would show the client the account's
	 * callback secret: the quote is replaced before the error goes anywhere.
	 */
	static Throwable withoutWebhook(Throwable ex, URI webhook) {
		String message = ex.getMessage();
		String query = webhook.getRawQuery();
		if (message == null || query == null || query.isEmpty()) {
			return ex;
		}
		String secret = query.substring(query.indexOf('=') + 1);
		String decoded = java.net.URLDecoder.decode(secret, java.nio.charset.StandardCharsets.UTF_8);
		if (!message.contains(secret) && !message.contains(decoded)) {
			return ex;
		}
		String scrubbed = message.replace(webhook.toString(), "<exogate's export webhook>")
			.replace(secret, "<secret>")
			.replace(decoded, "<secret>");
		if (ex instanceof RateLimitedException limited) {
			return new RateLimitedException(scrubbed, java.time.Duration.ofSeconds(limited.retryAfterSeconds()));
		}
		return (ex instanceof BadRequestException) ? new BadRequestException(scrubbed)
				: new UpstreamUnavailableException(scrubbed);
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

	/**
	 * An export as the schema shows it: never the URL Exotel was given, which holds the account's
	 * callback secret.
	 */
	public record ExportView(String id, String account, ExportStatus status, Integer estimatedSeconds, String callbackUrl,
			Instant requestedAt, Instant updatedAt, String downloadUrl, Instant expiresAt, Integer recordingCount,
			DeliveryView delivery) {

		static ExportView of(ExportState state) {
			return new ExportView(state.id(), state.account(), state.status(), state.estimatedSeconds(), state.callbackUrl(),
					state.requestedAt(), state.updatedAt(), state.downloadUrl(), state.expiresAt(), state.recordingCount(),
					new DeliveryView(state.delivery().name(), state.deliveryAttempts(), state.deliveredAt()));
		}

	}

	/** How forwarding the export's result to the client's callback went. */
	public record DeliveryView(String status, int attempts, Instant at) {
	}

}
