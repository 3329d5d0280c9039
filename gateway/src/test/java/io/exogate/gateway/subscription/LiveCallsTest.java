package io.exogate.gateway.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.exogate.gateway.call.CallViews;
import io.exogate.gateway.events.CallEvent;
import io.exogate.gateway.events.InProcessCallEvents;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.port.CallSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.DefaultBatchLoaderRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** An account's live calls for subscribers, on virtual time: one poller, emitted on change only, woken by events. */
class LiveCallsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	final CallSource calls = mock(CallSource.class);

	final InProcessCallEvents events = new InProcessCallEvents();

	final AtomicInteger polls = new AtomicInteger();

	/** What each poll answers, in turn; the last one again once they run out; {@code null} is a failure. */
	final List<List<Call>> script = new ArrayList<>();

	LiveCalls live() {
		when(this.calls.activeCalls("acc-1")).thenAnswer((invocation) -> Flux.defer(() -> {
			int poll = this.polls.getAndIncrement();
			List<Call> answer = this.script.get(Math.min(poll, this.script.size() - 1));
			return (answer != null) ? Flux.fromIterable(answer) : Flux.error(new UpstreamUnavailableException("Exotel v3 answered 503"));
		}));
		SubscriptionProperties properties = new SubscriptionProperties(null, null, null, Duration.ofSeconds(5), Duration.ofMillis(250),
				null, null, null);
		return new LiveCalls(this.calls, new CallViews(this.calls, new DefaultBatchLoaderRegistry()), this.events, properties,
				Duration.ofSeconds(10), Schedulers.parallel());
	}

	@Test
	void emitsTheListAtOnceThenOnlyWhenItChanges() {
		List<Call> one = List.of(call("c1", CallStatus.RINGING));
		List<Call> answered = List.of(call("c1", CallStatus.IN_PROGRESS));
		List<Call> two = List.of(call("c1", CallStatus.IN_PROGRESS), call("c2", CallStatus.RINGING));
		this.script.addAll(java.util.Arrays.asList(one, one, null, answered, answered, two));
		StepVerifier.withVirtualTime(() -> live().watch("acc-1").map(LiveCalls.Snapshot::calls).take(3))
			.expectSubscription()
			.assertNext((list) -> assertThat(list).extracting(Call::sid).containsExactly("c1"))
			// 5 s: the same list; 10 s: a failed poll; 15 s: c1 answered.
			.thenAwait(Duration.ofSeconds(10))
			.expectNoEvent(Duration.ofSeconds(4))
			.thenAwait(Duration.ofSeconds(1))
			.assertNext((list) -> assertThat(list).extracting(Call::status).containsExactly(CallStatus.IN_PROGRESS))
			.thenAwait(Duration.ofSeconds(10))
			.assertNext((list) -> assertThat(list).extracting(Call::sid).containsExactly("c1", "c2"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.polls).hasValue(6);
	}

	@Test
	void aCallEventOfTheAccountPollsAtOnce() {
		this.script.addAll(List.of(List.of(call("c1", CallStatus.IN_PROGRESS)), List.of()));
		StepVerifier.withVirtualTime(() -> live().watch("acc-1").map(LiveCalls.Snapshot::calls).take(2))
			.expectSubscription()
			.expectNextCount(1)
			.then(() -> {
				this.events.publish(new CallEvent("acc-2", "c9", true, false));
				this.events.publish(new CallEvent("acc-1", "c1", true, false));
				this.events.publish(new CallEvent("acc-1", "c1", true, true));
			})
			.thenAwait(Duration.ofMillis(250))
			.assertNext((list) -> assertThat(list).isEmpty())
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.polls).as("one poll at once, one for the burst of events").hasValue(2);
	}

	@Test
	void eventsEvery300MillisecondsWakeThePollerAtMostOncePerGap() {
		this.script.add(List.of(call("c1", CallStatus.IN_PROGRESS)));
		StepVerifier.Step<List<Call>> step = StepVerifier.withVirtualTime(() -> live().watch("acc-1").map(LiveCalls.Snapshot::calls)).expectSubscription().expectNextCount(1);
		// 34 events 300 ms apart, each past the debounce, from 0 to 9.9 s; then 3 s of quiet.
		for (int i = 0; i < 34; i++) {
			step = step.then(() -> this.events.publish(new CallEvent("acc-1", "c1", true, false))).thenAwait(Duration.ofMillis(300));
		}
		step.thenAwait(Duration.ofSeconds(3)).thenCancel().verify(TIMEOUT);
		// Ticks at 0, 5 and 10 s; events wake it at most once per 2.5 s gap (0.25, 2.75, 5.25, 7.75, 10.25 s)
		// where a debounce alone would have polled 34 times.
		assertThat(this.polls.get()).isBetween(3 + 4, 3 + 5);
	}

	@Test
	void anEventWithinTheGapWaitsForItInsteadOfBeingLost() {
		this.script.add(List.of(call("c1", CallStatus.IN_PROGRESS)));
		StepVerifier.withVirtualTime(() -> live().watch("acc-1").map(LiveCalls.Snapshot::calls))
			.expectSubscription()
			.expectNextCount(1)
			.then(() -> this.events.publish(new CallEvent("acc-1", "c1", true, false)))
			.thenAwait(Duration.ofMillis(300))
			.then(() -> assertThat(this.polls).as("at 0 s, and 0.25 s for the event").hasValue(2))
			.then(() -> this.events.publish(new CallEvent("acc-1", "c1", true, true)))
			.thenAwait(Duration.ofMillis(2400))
			.then(() -> assertThat(this.polls).as("the second event waits for the gap (until 2.75 s)").hasValue(2))
			.thenAwait(Duration.ofMillis(100))
			.then(() -> assertThat(this.polls).as("then polls once, before the next tick at 5 s").hasValue(3))
			.thenCancel()
			.verify(TIMEOUT);
	}

	@Test
	void oneAccountOnePollerForEveryWatcherStoppedWhenTheLastLeaves() {
		this.script.add(List.of(call("c1", CallStatus.IN_PROGRESS)));
		AtomicReference<LiveCalls> made = new AtomicReference<>();
		StepVerifier.withVirtualTime(() -> {
			LiveCalls live = live();
			made.set(live);
			Flux<List<Call>> first = live.watch("acc-1").map(LiveCalls.Snapshot::calls);
			// A second watcher joins at 12 s and gets the latest list at once; both leave at 21 s.
			Flux<List<Call>> late = Mono.delay(Duration.ofSeconds(12)).thenMany(live.watch("acc-1").map(LiveCalls.Snapshot::calls));
			return Flux.merge(first, late).takeUntilOther(Mono.delay(Duration.ofSeconds(21)))
				.concatWith(Mono.delay(Duration.ofMinutes(1)).then(Mono.empty()));
		})
			.expectSubscription()
			.expectNextCount(1)
			.thenAwait(Duration.ofSeconds(12))
			.expectNextCount(1)
			.then(() -> {
				assertThat(this.polls).as("at 0, 5 and 10 s").hasValue(3);
				assertThat(made.get().watches().pollers()).isOne();
				assertThat(made.get().watches().watchers("acc-1")).isEqualTo(2);
			})
			.thenAwait(Duration.ofSeconds(9))
			.then(() -> assertThat(made.get().watches().pollers()).isZero())
			.thenAwait(Duration.ofMinutes(1))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.polls).as("at 0, 5, 10, 15 and 20 s, none after").hasValue(5);
	}

	static Call call(String sid, CallStatus status) {
		return Call.builder(sid).accountSid("acc-1").status(status, status.name()).direction(CallDirection.INBOUND, "inbound").build();
	}

}
