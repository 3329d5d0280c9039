package io.exogate.gateway.subscription;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Call events as a poller's wake-ups: a burst within {@code event-debounce} wakes it once, and two
 * wake-ups are at least {@code event-poll-gap} apart. An event arriving within the gap is not lost:
 * the latest one waits for the gap to pass, so the poller still sees the last change.
 */
final class Wakeups {

	private Wakeups() {
	}

	static Flux<Object> of(Flux<?> events, SubscriptionProperties properties, Scheduler scheduler) {
		return events.sampleTimeout((event) -> Mono.delay(properties.eventDebounce(), scheduler))
			.onBackpressureLatest()
			.concatMap((event) -> Mono.<Object>just(event).concatWith(Mono.delay(properties.eventPollGap(), scheduler).then(Mono.empty())),
					0);
	}

}
