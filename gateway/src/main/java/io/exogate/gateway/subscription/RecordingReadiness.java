package io.exogate.gateway.subscription;

import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.CallEvents;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.port.CallSource;
import io.exogate.model.port.Deadline;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Waits for recordings to become available, one shared poller per tenant, account, call, format and
 * channel. A poller asks at once, then again after {@code recording-first-poll}, doubling up to
 * {@code recording-max-poll}, and at once (debounced, and at most once per {@code event-poll-gap}) when a
 * {@link CallEvent} names the call. Each
 * poll goes through the {@link RecordingService}, so it is cached and counted in the account's request
 * budget. It ends with the available recording; with {@code NOT_FOUND} for a call the account does not
 * have, {@code RECORDING_NOT_AVAILABLE} once the call has ended without one, or
 * {@code RECORDING_WAIT_EXCEEDED} after {@code recording-max-wait}; with {@code BAD_REQUEST} when Exotel
 * refuses the request itself. Any other upstream failure (an error, a timeout, the circuit open, the
 * budget spent) is one poll missed: the next one follows the backoff.
 */
public final class RecordingReadiness {

	private static final Logger logger = LoggerFactory.getLogger(RecordingReadiness.class);

	private final RecordingService recordings;

	private final CallSource calls;

	private final CallEvents events;

	private final SubscriptionProperties properties;

	private final Duration pollDeadline;

	private final Scheduler scheduler;

	private final Watches<Key, Recording> watches = new Watches<>(this::poll);

	/**
	 * @param pollDeadline how long one poll, its retries and budget waits included, may take
	 * @param scheduler the timer of the backoff, the debounce and the maximum wait
	 */
	public RecordingReadiness(RecordingService recordings, CallSource calls, CallEvents events, SubscriptionProperties properties,
			Duration pollDeadline, Scheduler scheduler) {
		this.recordings = recordings;
		this.calls = calls;
		this.events = events;
		this.properties = properties;
		this.pollDeadline = pollDeadline;
		this.scheduler = scheduler;
	}

	/** One recording variant of one call, as one tenant waits for it. */
	public record Key(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
	}

	/** The recording once it is available, then completion; shared with every other watcher of the key. */
	public Mono<Recording> ready(Key key) {
		return this.watches.watch(key).next();
	}

	/** The running pollers and their watchers. */
	public Watches<Key, Recording> watches() {
		return this.watches;
	}

	private Flux<Recording> poll(Key key) {
		Flux<Object> backoff = Flux.<Duration, Duration>generate(() -> this.properties.recordingFirstPoll(), (delay, sink) -> {
			sink.next(delay);
			Duration doubled = delay.multipliedBy(2);
			return (doubled.compareTo(this.properties.recordingMaxPoll()) > 0) ? this.properties.recordingMaxPoll() : doubled;
		}).concatMap((delay) -> Mono.delay(delay, this.scheduler), 1).cast(Object.class);
		Flux<Object> woken = Wakeups.of(this.events.events()
			.filter((event) -> event.account().equals(key.account()) && event.callSid().equals(key.callSid())), this.properties,
				this.scheduler);
		return Flux.merge(Flux.concat(Mono.just((Object) key), backoff), woken)
			.onBackpressureLatest()
			.concatMap((trigger) -> once(key), 1)
			.next()
			.timeout(this.properties.recordingMaxWait(), this.scheduler)
			.onErrorMap(TimeoutException.class, (ex) -> new SubscriptionFailure(SubscriptionFailure.WAIT_EXCEEDED,
					"The recording of call '" + key.callSid() + "' did not become available within "
							+ this.properties.recordingMaxWait().toMinutes() + " minutes; ask again later"))
			.flux();
	}

	/** One poll: the recording when available, nothing to poll again, or the error that ends the wait. */
	private Mono<Recording> once(Key key) {
		return this.recordings.current(key.tenant(), key.account(), key.callSid(), key.format(), key.channel())
			.defaultIfEmpty(Recording.unavailable(key.callSid(), RecordingStatus.NOT_AVAILABLE, key.format(), key.channel()))
			.flatMap((recording) -> switch (recording.status()) {
				case AVAILABLE -> Mono.just(recording);
				case NOT_AVAILABLE -> ended(key);
				case PROCESSING, EXPIRED -> Mono.<Recording>empty();
			})
			.contextWrite((context) -> Deadline.after(this.pollDeadline).writeTo(context))
			.onErrorResume((ex) -> !endsTheWait(ex), (ex) -> {
				logger.debug("A poll of a recording failed; the next follows the backoff: {}", ex.toString());
				return Mono.empty();
			});
	}

	/** Whether an error ends the wait: the call is unknown, Exotel refused the request as such, or it ended without a recording. */
	private static boolean endsTheWait(Throwable ex) {
		return ex instanceof NotFoundException || ex instanceof BadRequestException || ex instanceof SubscriptionFailure;
	}

	/** No recording yet: one while the call goes on, the end of the wait once it has ended. */
	private Mono<Recording> ended(Key key) {
		return this.calls.call(key.account(), key.callSid(), ApiVersion.V3).flatMap((call) -> call.status().isOngoing()
				? Mono.<Recording>empty()
				: Mono.error(new SubscriptionFailure(SubscriptionFailure.NOT_AVAILABLE, "Call '" + key.callSid()
						+ "' ended without a recording in " + key.format() + "/" + key.channel())));
	}

}
