package io.exogate.gateway.events;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** {@link CallEvents} within one instance. */
public final class InProcessCallEvents implements CallEvents {

	private final Sinks.Many<CallEvent> sink = Sinks.many().multicast().directBestEffort();

	@Override
	public void publish(CallEvent event) {
		// Serialized: webhooks may publish from several threads at once.
		synchronized (this.sink) {
			this.sink.tryEmitNext(event);
		}
	}

	@Override
	public Flux<CallEvent> events() {
		return this.sink.asFlux();
	}

}
