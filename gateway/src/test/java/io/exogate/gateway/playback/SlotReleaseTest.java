package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A playback slot comes back when its exchange ends, even when the response body was never written,
 * and the upstream body it held is cancelled then, which gives its connection back.
 */
class SlotReleaseTest {

	final PlaybackStreams streams = new PlaybackStreams(4, 10);

	final SlotRelease filter = new SlotRelease();

	final AtomicInteger subscribed = new AtomicInteger();

	final AtomicInteger cancelled = new AtomicInteger();

	final Flux<String> upstream = Flux.<String>never()
		.doOnSubscribe((subscription) -> this.subscribed.incrementAndGet())
		.doOnCancel(this.cancelled::incrementAndGet);

	@Test
	void anExchangeEndingWithoutWritingTheBodyReleasesTheSlotAndCancelsTheUpstreamBody() {
		MockServerWebExchange exchange = exchange("/playback/a.b");
		PlaybackStreams.Slot slot = admitted(exchange, "a.b");
		slot.hold(this.upstream);
		assertThat(this.streams.open()).isEqualTo(1);
		this.filter.filter(exchange, (ignored) -> Mono.empty()).as(StepVerifier::create).verifyComplete();
		assertThat(this.streams.open()).isZero();
		assertThat(this.subscribed).as("the unread body was subscribed once, only to cancel it").hasValue(1);
		assertThat(this.cancelled).hasValue(1);
	}

	@Test
	void anExchangeCancelledBeforeTheBodyReleasesTheSlot() {
		MockServerWebExchange exchange = exchange("/playback/c.d");
		PlaybackStreams.Slot slot = admitted(exchange, "c.d");
		slot.hold(this.upstream);
		this.filter.filter(exchange, (ignored) -> Mono.never()).as(StepVerifier::create).thenCancel().verify();
		assertThat(this.streams.open()).isZero();
		assertThat(this.open("c.d")).isZero();
		assertThat(this.cancelled).hasValue(1);
	}

	@Test
	void aBodyAlreadyReadIsNotSubscribedAgain() {
		MockServerWebExchange exchange = exchange("/playback/e.f");
		PlaybackStreams.Slot slot = admitted(exchange, "e.f");
		Flux<String> body = slot.hold(Flux.just("a", "b").doOnSubscribe((subscription) -> this.subscribed.incrementAndGet()));
		this.filter.filter(exchange, (ignored) -> body.then()).as(StepVerifier::create).verifyComplete();
		assertThat(this.streams.open()).isZero();
		assertThat(this.subscribed).hasValue(1);
	}

	@Test
	void aBodyHeldAfterTheSlotWasReleasedIsCancelledAtOnce() {
		PlaybackStreams.Slot slot = this.streams.admit("g.h").slot();
		slot.release();
		slot.hold(this.upstream).as(StepVerifier::create).verifyComplete();
		assertThat(this.cancelled).hasValue(1);
		assertThat(this.subscribed).as("and never read").hasValue(1);
	}

	private PlaybackStreams.Slot admitted(MockServerWebExchange exchange, String token) {
		PlaybackStreams.Slot slot = this.streams.admit(token).slot();
		exchange.getAttributes().put(SlotRelease.ATTRIBUTE, slot);
		return slot;
	}

	private int open(String token) {
		return this.streams.open(token);
	}

	private static MockServerWebExchange exchange(String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(path));
	}

}
