package io.exogate.gateway.export;

import java.time.Duration;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * Where export states are kept, by tenant and id, with an index by account and id for Exotel's
 * callbacks, which name no tenant. Entries live for a bounded time.
 */
public interface ExportStore {

	/** Keeps a new export's state. */
	Mono<Void> create(ExportState state);

	/** The tenant's export, or empty: another tenant's id is as unknown as a made-up one. */
	Mono<ExportState> get(String tenant, String id);

	/** The tenant whose export of this account has this id, or empty. */
	Mono<String> owner(String account, String id);

	/**
	 * Changes the export's state atomically (concurrent changes are retried against what the other
	 * wrote); the change answers the state unchanged to change nothing.
	 * @return the state before and after, or empty when there is no such export
	 */
	Mono<Change> update(String tenant, String id, UnaryOperator<ExportState> change);

	/**
	 * Marks one more export request of this account in flight: asked of Exotel, its state not kept
	 * yet. A mark left by an instance that stopped lapses after {@code ttl}.
	 */
	Mono<Void> requestStarted(String account, Duration ttl);

	/** Takes back one mark of {@link #requestStarted}; never below none. */
	Mono<Void> requestEnded(String account);

	/** Whether an export request of this account is in flight on any instance. */
	Mono<Boolean> requesting(String account);

	/**
	 * A change of one export's state.
	 *
	 * @param before what it was
	 * @param after what it is now; equal to {@code before} when nothing changed
	 */
	record Change(ExportState before, ExportState after) {

		/** Whether anything changed. */
		public boolean changed() {
			return !this.before.equals(this.after);
		}

	}

}
