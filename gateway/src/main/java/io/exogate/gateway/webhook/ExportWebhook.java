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
 * export this account does not hold (unknown, or another account's) is refused 404, changing nothing.
 */
public final class ExportWebhook {

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
			return this.exports.callback(account, callback)
				.flatMap((changed) -> ServerResponse.noContent().build())
				.switchIfEmpty(Mono.defer(() -> this.webhook.refuse(request, account, HttpStatus.NOT_FOUND, "NOT_FOUND",
						"unknown-export", "This account has no export with that id.")))
				.onErrorResume((error) -> !(error instanceof IllegalArgumentException),
						(error) -> this.webhook.refuse(request, account, HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "unavailable",
								"The callback could not be recorded now; send it again later."));
		});
	}

}
