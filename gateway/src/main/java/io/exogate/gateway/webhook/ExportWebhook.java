package io.exogate.gateway.webhook;

import io.exogate.gateway.export.ExportCallback;
import io.exogate.gateway.export.Exports;
import io.exogate.gateway.security.Audit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /webhooks/exotel/{account}/export?secret=…}: Exotel's export callback (JSON). Moves
 * the export on (idempotently), after which its result is forwarded to the tenant's callback. An
 * export this account does not hold (unknown, or another account's) is refused 404, changing nothing;
 * while an export request of the account is in flight (its state perhaps not kept yet) it is 503
 * with {@code Retry-After} instead, for Exotel to send it again.
 */
public final class ExportWebhook {

	/** What a callback that came before its export's state is told to wait, in seconds. */
	static final long RETRY_AFTER = 5;

	private final Webhook webhook;

	private final Exports exports;

	public ExportWebhook(WebhookSecrets secrets, Audit audit, Exports exports) {
		this.webhook = new Webhook(secrets, audit, MediaType.APPLICATION_JSON, "export");
		this.exports = exports;
	}

	/** Handles one callback. */
	public Mono<ServerResponse> handle(ServerRequest request) {
		return this.webhook.handle(request, (account, body) -> {
			ExportCallback callback = Exports.read(body);
			// The mark is read before the export is looked up: a request that kept its state and dropped its
			// mark in between is then found by the lookup, never missed by both.
			return this.exports.requesting(account).flatMap((requesting) -> this.exports.callback(account, callback)
				.flatMap((changed) -> ServerResponse.noContent().build())
				.switchIfEmpty(Mono.defer(() -> requesting
						// Perhaps this very export, faster than its state: Exotel retries a 503, not a 404.
						? this.webhook.refuse(request, account, HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "early",
								"An export of this account is being requested; send the callback again shortly.", RETRY_AFTER)
						: this.webhook.refuse(request, account, HttpStatus.NOT_FOUND, "NOT_FOUND", "unknown-export",
								"This account has no export with that id."))))
				.onErrorResume((error) -> !(error instanceof IllegalArgumentException),
						(error) -> this.webhook.refuse(request, account, HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "unavailable",
								"The callback could not be recorded now; send it again later."));
		});
	}

}
