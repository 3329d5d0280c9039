package io.exogate.gateway.playback;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

class StallGuardTest {

	private static final Duration LIMIT = Duration.ofSeconds(10);

	@Test
	void aSourceThatOwesItemsAndSendsNoneForTheLimitFails() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.create(StallGuard.guard(source.flux(), LIMIT, time), 0)
			.thenRequest(2)
			.then(() -> source.next("a"))
			.expectNext("a")
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(9)))
			.then(() -> source.next("b"))
			.expectNext("b")
			.thenRequest(1)
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(9)))
			.expectNoEvent(Duration.ZERO)
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(2)))
			.expectError(StallGuard.Stalled.class)
			.verify(Duration.ofSeconds(5));
		source.assertCancelled();
	}

	@Test
	void timeWithNothingAskedForNeverCounts() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		TestPublisher<String> source = TestPublisher.create();
		StepVerifier.create(StallGuard.guard(source.flux(), LIMIT, time), 1)
			.then(() -> source.next("a"))
			.expectNext("a")
			// The client reads nothing for an hour: backpressure, not a stall.
			.then(() -> time.advanceTimeBy(Duration.ofHours(1)))
			.thenRequest(1)
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(9)))
			.then(() -> source.next("b"))
			.expectNext("b")
			.then(() -> source.complete())
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aSteadySourceCompletesAndCancellingStopsTheGuard() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		StepVerifier.create(StallGuard.guard(Flux.range(1, 1000), LIMIT, time)).expectNextCount(1000).expectComplete()
			.verify(Duration.ofSeconds(5));
		TestPublisher<Integer> source = TestPublisher.create();
		StepVerifier.create(StallGuard.guard(source.flux(), LIMIT, time))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		source.assertCancelled();
		time.advanceTimeBy(Duration.ofMinutes(1));
	}

}
