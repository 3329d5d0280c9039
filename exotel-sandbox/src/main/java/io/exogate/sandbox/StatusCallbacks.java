package io.exogate.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * v1 status callbacks: once a second, every call that ended since the last look is POSTed,
 * form-encoded, to its account's URL, as Exotel does when a call completes. Where a URL is logged
 * only its host is: the query may hold the receiver's secret.
 */
final class StatusCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(StatusCallbacks.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final SandboxContext context;

	private final Function<String, URI> urls;

	private final HttpClient client = HttpClient.create().responseTimeout(TIMEOUT);

	private final Disposable ticker;

	private Instant checkedUpTo;

	/**
	 * @param urls the URL each account's callbacks go to, by account SID; an account without one
	 * ({@code null}) sends none
	 */
	StatusCallbacks(SandboxContext context, Function<String, URI> urls) {
		this.context = context;
		this.urls = urls;
		this.checkedUpTo = context.now();
		this.ticker = Flux.interval(Duration.ofSeconds(1))
			.concatMap((tick) -> Flux.fromIterable(endedSinceLastTick()).concatMap(this::send))
			.subscribe(null, (error) -> logger.warn("Status callbacks stopped: {}", error.toString()));
	}

	void close() {
		this.ticker.dispose();
	}

	private List<SandboxCall> endedSinceLastTick() {
		Instant now = this.context.now();
		Instant from = this.checkedUpTo;
		this.checkedUpTo = now;
		List<SandboxCall> ended = new ArrayList<>();
		for (SandboxAccount account : this.context.settings.accounts()) {
			for (SandboxCall call : this.context.store.calls(account.sid(), now)) {
				if (!call.endedAt().isBefore(from) && call.endedAt().isBefore(now)) {
					ended.add(call);
				}
			}
		}
		return ended;
	}

	private Mono<Void> send(SandboxCall call) {
		URI url = this.urls.apply(call.accountSid());
		if (url == null) {
			return Mono.empty();
		}
		String form = form(call);
		return this.client.headers((headers) -> headers.set("content-type", "application/x-www-form-urlencoded"))
			.post()
			.uri(url.toString())
			.send(ByteBufFlux.fromString(Mono.just(form)))
			.responseSingle((response, body) -> body.then())
			.timeout(TIMEOUT)
			.onErrorResume((error) -> {
				logger.warn("Status callback for {} to {} failed: {}", call.sid(), url.getHost(), error.toString());
				return Mono.empty();
			});
	}

	String form(SandboxCall call) {
		Map<String, Object> fields = Json.object("CallSid", call.sid(), "Status", call.v1Status(), "RecordingUrl",
				call.recorded() ? this.context.privateRecordingUrl(call) : "", "EventType", "terminal", "DateCreated",
				ExotelTime.v1(call.createdAt()), "DateUpdated", ExotelTime.v1(call.endedAt()), "To", call.to(), "From",
				call.from(), "PhoneNumberSid", call.exophone(), "StartTime", ExotelTime.v1(call.startedAt()), "EndTime",
				ExotelTime.v1(call.endedAt()), "ConversationDuration", call.conversationSeconds(), "Direction",
				call.v1Direction(), "CustomField", (call.customField() != null) ? call.customField() : "");
		fields.put("Legs[0][OnCallDuration]", call.outcome().leg1Status.equals("completed") ? call.durationSeconds() : 0);
		fields.put("Legs[0][Status]", call.outcome().leg1Status);
		fields.put("Legs[0][AnsweredBy]", "NA");
		fields.put("Legs[1][OnCallDuration]", call.conversationSeconds());
		fields.put("Legs[1][Status]", call.outcome().leg2Status);
		fields.put("Legs[1][AnsweredBy]", call.outcome().connected ? "HUMAN" : "NA");
		StringBuilder form = new StringBuilder();
		fields.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
			.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
		return form.toString();
	}

}
