package io.exogate.gateway.events;

import reactor.core.publisher.Flux;

/**
 * The gateway's hub for {@link CallEvent}s: webhooks publish, subscriptions and caches listen. An
 * event published on one instance reaches the listeners of every instance that shares its Redis.
 */
public interface CallEvents {

	/** Hands an event to every listener; never blocks and never fails the caller. */
	void publish(CallEvent event);

	/** Every event published from now on, hot; a slow listener loses events rather than holding others up. */
	Flux<CallEvent> events();

	/** Whether events published on other instances reach this one now. */
	default boolean live() {
		return true;
	}

	/** A count that changes whenever events of other instances may have been lost (a Redis disconnection). */
	default long outages() {
		return 0;
	}

}
