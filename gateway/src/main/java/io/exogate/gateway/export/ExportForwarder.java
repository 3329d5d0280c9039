package io.exogate.gateway.export;

import io.exogate.gateway.export.ExportState.Delivery;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.ExportCallbacks.Destination;
import io.exogate.gateway.security.Tenants;
import io.exogate.gateway.security.Tenants.Tenant;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs a finished export's result to its tenant's own callback URL, checked again against the
 * tenant's allow-list and private-address rules at delivery time: its host must resolve then, to
 * public addresses unless the tenant allows private ones, and the connection goes to exactly the
 * addresses checked (a name that resolves elsewhere by the time of the connection is not followed). Each attempt has a timeout;
 * failed ones are retried with backoff; redirects are never followed; only the answer's status is
 * read, never its body, on a connection of its own closed once the status is in. The outcome is audited,
 * naming the callback's host only.
 */
public final class ExportForwarder {

	private static final Logger logger = LoggerFactory.getLogger(ExportForwarder.class);

	private final HttpClient client;

	private final ExportCallbacks callbacks;

	private final Tenants tenants;

	private final Audit audit;

	private final int attempts;

	private final Duration backoff;

	private final Duration timeout;

	private final JsonMapper json = JsonMapper.builder().build();

	public ExportForwarder(ExportCallbacks callbacks, Tenants tenants, Audit audit, int attempts, Duration backoff,
			Duration timeout) {
		this.callbacks = callbacks;
		this.tenants = tenants;
		this.audit = audit;
		this.attempts = attempts;
		this.backoff = backoff;
		this.timeout = timeout;
		this.client = HttpClient.newConnection()
			.followRedirect(false)
			.responseTimeout(timeout)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
	}

	/** The outcome of forwarding the export's result; never an error. */
	Mono<Outcome> forward(ExportState state) {
		return Mono.defer(() -> {
			AtomicInteger tries = new AtomicInteger();
			Tenant tenant = this.tenants.tenant(state.tenant()).orElse(null);
			if (tenant == null || state.callbackUrl() == null) {
				return Mono.just(new Outcome(Delivery.REFUSED, 0, "the tenant or its callback is no longer configured"));
			}
			String body = this.json.writeValueAsString(body(state));
			return this.callbacks.destination(state.callbackUrl(), tenant.exportCallbacks(), tenant.allowPrivateCallbacks())
				.flatMap((destination) -> post(destination, body, tries)
					.retryWhen(Retry.backoff(Math.max(0, this.attempts - 1), this.backoff))
					.then(Mono.fromSupplier(() -> new Outcome(Delivery.DELIVERED, tries.get(), null)))
					.onErrorResume((error) -> Mono.fromSupplier(() -> new Outcome(Delivery.FAILED, tries.get(),
							"no 2xx answer after " + tries.get() + " attempts"))))
				.onErrorResume((error) -> Mono.just(new Outcome(Delivery.REFUSED, 0, error.getMessage())));
		}).doOnNext((outcome) -> this.audit.exportDelivered(state.tenant(), state.account(), state.id(), host(state.callbackUrl()),
				outcome.delivery().name().toLowerCase(java.util.Locale.ROOT), outcome.attempts(), outcome.detail()));
	}



	/** A delivery that could not even be recorded. */
	void lost(ExportState state, Throwable error) {
		logger.warn("The outcome of forwarding export {} of tenant {} could not be recorded: {}", state.id(), state.tenant(),
				error.getClass().getSimpleName());
	}

	private Mono<Void> post(Destination destination, String body, AtomicInteger tries) {
		URI url = destination.uri();
		// Connects to the addresses checked, never to what the name resolves to by then.
		HttpClient pinned = this.client.resolver(new PinnedAddresses(url.getHost(), destination.addresses()));
		return Mono.defer(() -> {
			tries.incrementAndGet();
			return pinned.headers((headers) -> headers.set("content-type", "application/json").set("user-agent", "exogate"))
				.post()
				.uri(url)
				.send(ByteBufFlux.fromString(Mono.just(body)))
				// Only the status counts: the receiver's body is never read, the connection closed on its headers.
				.responseConnection((response, connection) -> {
					int status = response.status().code();
					connection.dispose();
					return (status / 100 == 2) ? Mono.just(status) : Mono.error(new IllegalStateException("answered " + status));
				})
				.timeout(this.timeout)
				.then();
		});
	}

	/** What the tenant's callback receives. */
	static Map<String, Object> body(ExportState state) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("exportId", state.id());
		body.put("account", state.account());
		body.put("status", state.status().name());
		body.put("downloadUrl", state.downloadUrl());
		body.put("expiresAt", (state.expiresAt() != null) ? state.expiresAt().toString() : null);
		body.put("recordingCount", state.recordingCount());
		body.put("requestedAt", state.requestedAt().toString());
		body.put("updatedAt", state.updatedAt().toString());
		return body;
	}

	private static String host(String url) {
		try {
			return URI.create(url).getHost();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return null;
		}
	}

	/**
	 * How a delivery ended.
	 *
	 * @param delivery delivered, failed or refused
	 * @param attempts how many POSTs were made
	 * @param detail why it was not delivered, or {@code null}
	 */
	record Outcome(Delivery delivery, int attempts, String detail) {
	}

}
