package io.exogate.gateway.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.InProcessCallEvents;
import io.exogate.gateway.recording.CacheProperties;
import io.exogate.gateway.recording.InProcessRecordingCache;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.CallSource;
import io.exogate.model.port.RecordingSource;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The shared wait for a recording, on virtual time: backoff, call events, the maximum wait and how it ends. */
class RecordingReadinessTest {

	/** Real time a verification may take; virtual time is what the tests advance. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final RecordingReadiness.Key KEY = new RecordingReadiness.Key("acme", "acc-1", "call-1", RecordingFormat.MP3,
			RecordingChannel.SINGLE);

	final ScriptedSource source = new ScriptedSource();

	final CallSource calls = mock(CallSource.class);

	final InProcessCallEvents events = new InProcessCallEvents();

	final SubscriptionProperties properties = new SubscriptionProperties(Duration.ofSeconds(2), Duration.ofSeconds(30),
			Duration.ofMinutes(20), null, Duration.ofMillis(250), null, null, null);

	RecordingReadiness readiness() {
		RecordingService service = new RecordingService(this.source, new InProcessRecordingCache(Clock.systemUTC(), 100),
				new CacheProperties(null, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofMinutes(5), 100, null),
				Clock.systemUTC());
		return new RecordingReadiness(service, this.calls, this.events, this.properties, Duration.ofSeconds(10), Schedulers.parallel());
	}

	@Test
	void pollsAtOnceThenBacksOffDoublingToTheMaximum() {
		this.source.answers.addAll(List.of(RecordingStatus.PROCESSING, RecordingStatus.PROCESSING, RecordingStatus.PROCESSING,
				RecordingStatus.PROCESSING, RecordingStatus.PROCESSING, RecordingStatus.PROCESSING));
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectSubscription()
			.then(() -> assertThat(this.source.requests).hasValue(1))
			.thenAwait(Duration.ofMillis(1999))
			.then(() -> assertThat(this.source.requests).hasValue(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(this.source.requests).hasValue(2))
			// 4 s, 8 s, 16 s, then 30 s (not 32)
			.thenAwait(Duration.ofSeconds(4))
			.then(() -> assertThat(this.source.requests).hasValue(3))
			.thenAwait(Duration.ofSeconds(8))
			.then(() -> assertThat(this.source.requests).hasValue(4))
			.thenAwait(Duration.ofSeconds(16))
			.then(() -> assertThat(this.source.requests).hasValue(5))
			.thenAwait(Duration.ofSeconds(29))
			.then(() -> assertThat(this.source.requests).hasValue(5))
			.thenAwait(Duration.ofSeconds(1))
			.then(() -> assertThat(this.source.requests).hasValue(6))
			.thenAwait(Duration.ofSeconds(30))
			.assertNext((recording) -> assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.source.requests).hasValue(7);
	}

	@Test
	void aCallEventPollsAtOnceInsteadOfWaitingForTheBackoff() {
		this.source.answers.add(RecordingStatus.PROCESSING);
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectSubscription()
			.then(() -> assertThat(this.source.requests).hasValue(1))
			.then(() -> {
				// Three events in a burst, and one for another call: one poll, after the debounce.
				this.events.publish(new CallEvent("acc-1", "call-1", true, false));
				this.events.publish(new CallEvent("acc-1", "call-2", true, true));
				this.events.publish(new CallEvent("acc-1", "call-1", true, true));
				this.events.publish(new CallEvent("acc-1", "call-1", true, true));
			})
			.thenAwait(Duration.ofMillis(250))
			.assertNext((recording) -> assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.source.requests).hasValue(2);
	}

	@Test
	void eventsEvery300MillisecondsWakeThePollerAtMostOncePerGap() {
		this.source.always = RecordingStatus.PROCESSING;
		StepVerifier.Step<Recording> step = StepVerifier.withVirtualTime(() -> readiness().ready(KEY)).expectSubscription();
		// 34 events for the call 300 ms apart, each past the debounce, from 0 to 9.9 s; then 2 s of quiet.
		for (int i = 0; i < 34; i++) {
			step = step.then(() -> this.events.publish(new CallEvent("acc-1", "call-1", true, false))).thenAwait(Duration.ofMillis(300));
		}
		step.thenAwait(Duration.ofSeconds(2)).thenCancel().verify(TIMEOUT);
		// The backoff at 0, 2 and 6 s; events at most once per 2.5 s gap (0.25, 2.75, 5.25, 7.75, 10.25 s),
		// where a debounce alone would have polled 34 times.
		assertThat(this.source.requests.get()).isBetween(3 + 4, 3 + 5);
	}

	@Test
	void anUpstreamFailureIsOnePollMissed() {
		this.source.answers.addAll(List.of(RecordingStatus.PROCESSING));
		this.source.failures.set(1);
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.then(() -> assertThat(this.source.requests).hasValue(2))
			.thenAwait(Duration.ofSeconds(4))
			.assertNext((recording) -> assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE))
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void aRequestExotelRefusesEndsTheWait() {
		this.source.refusal = new BadRequestException("Exotel v3 refused the request: invalid call SID");
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(BadRequestException.class))
			.verify(TIMEOUT);
		assertThat(this.source.requests).hasValue(1);
	}

	@Test
	void theWaitEndsAfterTheMaximumWithAClearError() {
		this.source.always = RecordingStatus.PROCESSING;
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectSubscription()
			.thenAwait(Duration.ofMinutes(20))
			.expectErrorSatisfies((ex) -> {
				assertThat(ex).isInstanceOf(SubscriptionFailure.class);
				assertThat(((SubscriptionFailure) ex).code()).isEqualTo("RECORDING_WAIT_EXCEEDED");
				assertThat(ex.getMessage()).contains("call-1", "20 minutes");
			})
			.verify(TIMEOUT);
		// 1 + 2, 4, 8, 16 s, then every 30 s up to 20 minutes.
		assertThat(this.source.requests.get()).isBetween(40, 45);
	}

	@Test
	void aCallThatEndedWithoutARecordingEndsTheWait() {
		this.source.always = RecordingStatus.NOT_AVAILABLE;
		when(this.calls.call(eq("acc-1"), eq("call-1"), eq(ApiVersion.V3))).thenReturn(Mono.just(call(CallStatus.IN_PROGRESS)),
				Mono.just(call(CallStatus.COMPLETED)));
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(2))
			.expectErrorSatisfies((ex) -> assertThat(((SubscriptionFailure) ex).code()).isEqualTo("RECORDING_NOT_AVAILABLE"))
			.verify(TIMEOUT);
		assertThat(this.source.requests).hasValue(2);
	}

	@Test
	void anUnknownCallEndsTheWaitWithNotFound() {
		this.source.always = RecordingStatus.NOT_AVAILABLE;
		when(this.calls.call(anyString(), anyString(), any(ApiVersion.class))).thenReturn(Mono.error(new NotFoundException("No call 'call-1'")));
		StepVerifier.withVirtualTime(() -> readiness().ready(KEY))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(NotFoundException.class))
			.verify(TIMEOUT);
	}

	@Test
	void everyWatcherSharesOnePollerThatStopsWhenTheLastLeaves() {
		this.source.always = RecordingStatus.PROCESSING;
		AtomicReference<RecordingReadiness> made = new AtomicReference<>();
		StepVerifier.withVirtualTime(() -> {
			RecordingReadiness readiness = readiness();
			made.set(readiness);
			// Three watchers leave after 7 s; then 5 minutes pass.
			return Flux.merge(readiness.ready(KEY), readiness.ready(KEY), readiness.ready(KEY))
				.takeUntilOther(Mono.delay(Duration.ofSeconds(7)))
				.concatWith(Mono.delay(Duration.ofMinutes(5)).then(Mono.empty()));
		})
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(6))
			.then(() -> {
				assertThat(this.source.requests).as("one poller: at 0, 2 and 6 s").hasValue(3);
				assertThat(made.get().watches().pollers()).isOne();
				assertThat(made.get().watches().watchers(KEY)).isEqualTo(3);
			})
			.thenAwait(Duration.ofSeconds(1))
			.then(() -> assertThat(made.get().watches().pollers()).isZero())
			.thenAwait(Duration.ofMinutes(5))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.source.requests).as("no poll once they left").hasValue(3);
		verify(this.calls, never()).call(anyString(), anyString(), any(ApiVersion.class));
	}

	static Call call(CallStatus status) {
		return Call.builder("call-1").accountSid("acc-1").status(status, status.name()).direction(CallDirection.INBOUND, "inbound").build();
	}

	/** A recording source answering from a script, then AVAILABLE (or always one status). */
	static final class ScriptedSource implements RecordingSource {

		final List<RecordingStatus> answers = new ArrayList<>();

		final AtomicInteger requests = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		volatile RecordingStatus always;

		volatile RuntimeException refusal;

		@Override
		public Mono<Recording> recording(String accountSid, String callSid, RecordingFormat format, RecordingChannel channel) {
			return recordings(accountSid, List.of(callSid), format, channel).next();
		}

		@Override
		public Flux<Recording> recordings(String accountSid, Collection<String> callSids, RecordingFormat format, RecordingChannel channel) {
			return Flux.defer(() -> {
				this.requests.incrementAndGet();
				if (this.refusal != null) {
					return Flux.error(this.refusal);
				}
				if (this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
					return Flux.error(new UpstreamUnavailableException("Exotel v3 answered 503"));
				}
				RecordingStatus status = (this.always != null) ? this.always
						: this.answers.isEmpty() ? RecordingStatus.AVAILABLE : this.answers.remove(0);
				String sid = callSids.iterator().next();
				return Flux.just((status == RecordingStatus.AVAILABLE)
						? new Recording(sid, status, new SignedUrl(URI.create("https://media.example/" + sid + ".mp3"),
								Instant.now().plus(Duration.ofDays(1))), format, channel, null, null, null, null, null)
						: Recording.unavailable(sid, status, format, channel));
			});
		}

	}

}
