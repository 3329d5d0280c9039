package io.exogate.gateway.webhook;

import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.logging.LogLimiter;
import io.exogate.gateway.recording.RecordingCache;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Tenants;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /webhooks/exotel/{account}/status?secret=…}: Exotel's v1 status callbacks. A callback
 * that comes after the call's known state (see {@link CallStates}) evicts the call's cached
 * recordings for every tenant holding the account and publishes a {@link CallEvent}; a duplicate
 * or a stale one changes nothing. Either way the answer is 204, at once.
 */
public final class StatusWebhook {

	private static final Logger logger = LoggerFactory.getLogger(StatusWebhook.class);

	private final Webhook webhook;

	private final CallStates states;

	private final Tenants tenants;

	private final RecordingCache cache;

	private final CallEvents events;

	/** How far ahead of the gateway's clock a callback's DateUpdated may be (clock skew, time zones). */
	static final Duration MAX_AHEAD = Duration.ofMinutes(10);

	private final java.time.Clock clock;

	private final LogLimiter unavailable = new LogLimiter(Duration.ofSeconds(30));

	public StatusWebhook(WebhookSecrets secrets, Audit audit, CallStates states, Tenants tenants, RecordingCache cache,
			CallEvents events, java.time.Clock clock) {
		this.clock = clock;
		this.webhook = new Webhook(secrets, audit, MediaType.APPLICATION_FORM_URLENCODED, "status");
		this.states = states;
		this.tenants = tenants;
		this.cache = cache;
		this.events = events;
	}

	/** Handles one callback. */
	public Mono<ServerResponse> handle(ServerRequest request) {
		return this.webhook.handle(request, (account, body) -> {
			StatusCallback callback = StatusCallback.of(FormBody.parse(body));
			if (callback.updatedAt() != null && callback.updatedAt().isAfter(this.clock.instant().plus(MAX_AHEAD))) {
				// Ordered by DateUpdated, a time far ahead would hold the call's state against every later callback.
				throw new IllegalArgumentException("DateUpdated is more than ten minutes ahead of the gateway's clock");
			}
			return this.states.advance(account, callback)
				.flatMap((changed) -> changed ? apply(account, callback) : Mono.empty())
				.then(ServerResponse.noContent().build())
				.onErrorResume((error) -> !(error instanceof IllegalArgumentException), (error) -> {
					long held = this.unavailable.tryAcquire("states");
					if (held >= 0) {
						logger.warn("A status callback could not be applied ({}); Exotel will retry it{}", error.getClass().getSimpleName(),
								(held > 0) ? " (" + held + " more since the last line)" : "");
					}
					return this.webhook.refuse(request, account, HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "unavailable",
							"The callback could not be recorded now; send it again later.");
				});
		});
	}

	/** A real change: the call's cached recordings go, for every tenant, and listeners are woken. */
	private Mono<Void> apply(String account, StatusCallback callback) {
		return this.cache.evict(recordingKeys(account, callback.callSid()))
			.then(Mono.fromRunnable(() -> this.events.publish(
					new CallEvent(account, callback.callSid(), callback.terminal(), callback.recordingAvailable()))));
	}

	/** Every cache key a recording of this call may have, in every tenant holding the account. */
	List<String> recordingKeys(String account, String callSid) {
		List<String> keys = new ArrayList<>();
		for (Tenants.Tenant tenant : this.tenants.all()) {
			if (!tenant.owns(account)) {
				continue;
			}
			for (RecordingFormat format : RecordingFormat.values()) {
				for (RecordingChannel channel : RecordingChannel.values()) {
					if (format != RecordingFormat.UNKNOWN && channel != RecordingChannel.UNKNOWN) {
						keys.add(RecordingService.key(tenant.id(), account, callSid, format, channel));
					}
				}
			}
		}
		return keys;
	}

}
