package io.exogate.gateway.export;

import io.exogate.gateway.export.ExportEvents.Changed;
import io.exogate.gateway.export.ExportState.Delivery;
import io.exogate.gateway.export.ExportStore.Change;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.RecordingExport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The recording exports the gateway tracks: kept when requested, moved on by Exotel's callbacks
 * (idempotently: a finished export changes no more), each change published to every instance, and
 * a finished export's result forwarded to the tenant's own callback.
 */
public final class Exports implements AutoCloseable {

	/** How long a mark of an export request in flight outlives an instance that stopped before taking it back. */
	static final Duration REQUEST_MARK_TTL = Duration.ofMinutes(2);

	private final ExportStore store;

	private final ExportEvents events;

	private final ExportForwarder forwarder;

	private final Clock clock;

	private final Disposable.Composite deliveries = Disposables.composite();

	public Exports(ExportStore store, ExportEvents events, ExportForwarder forwarder, Clock clock) {
		this.store = store;
		this.events = events;
		this.forwarder = forwarder;
		this.clock = clock;
	}

	/** Keeps an export Exotel accepted; its result will go to {@code callbackUrl}. */
	public Mono<ExportState> requested(String tenant, String account, RecordingExport export, String callbackUrl) {
		return Mono.defer(() -> {
			Instant now = this.clock.instant();
			ExportState state = new ExportState(tenant, export.exportId(), account, export.status(),
					(export.estimatedTime() != null) ? Math.toIntExact(export.estimatedTime().getSeconds()) : null, callbackUrl, now,
					now, null, null, null, Delivery.WAITING, 0, null);
			return this.store.create(state)
				.thenReturn(state)
				.onErrorMap((error) -> !(error instanceof ExogateException), (error) -> new UpstreamUnavailableException(
						"Exotel accepted export " + export.exportId() + " but the gateway could not keep its state; its result"
								+ " will not be forwarded"));
		});
	}

	/**
	 * {@code request} (asking Exotel for an export of this account and keeping its state), marked in
	 * flight from subscription until it ends however it ends, so that a callback that comes back
	 * before the state is kept is told to come again ({@link #requesting}) instead of being lost. A
	 * mark that cannot be written does not stop the request.
	 */
	public <T> Mono<T> whileRequesting(String account, Mono<T> request) {
		return Mono.usingWhen(this.store.requestStarted(account, REQUEST_MARK_TTL).thenReturn(true).onErrorReturn(false),
				(marked) -> request,
				(marked) -> marked ? this.store.requestEnded(account).onErrorComplete() : Mono.empty());
	}

	/** Whether an export request of this account is in flight, on any instance: a callback for an export not kept yet may be early. */
	public Mono<Boolean> requesting(String account) {
		return this.store.requesting(account);
	}

	/** The tenant's export, or empty. */
	public Mono<ExportState> find(String tenant, String id) {
		return this.store.get(tenant, id).onErrorMap((error) -> !(error instanceof ExogateException), Exports::unreadable);
	}

	/**
	 * The export's state now, then at each change of its status; completes once it is finished.
	 * Empty when the tenant has no such export.
	 */
	public Flux<ExportState> watch(String tenant, String id) {
		return this.store.get(tenant, id).flatMapMany((first) -> {
			Flux<ExportState> changes = this.events.events()
				.filter((changed) -> changed.tenant().equals(tenant) && changed.id().equals(id))
				.concatMap((changed) -> this.store.get(tenant, id));
			// Listening first, then reading again: a change between the first read and now is not lost.
			Flux<ExportState> later = Flux.merge(changes, this.store.get(tenant, id));
			ExportStatus[] last = { first.status() };
			return Flux.concat(Mono.just(first), later.filter((state) -> {
				synchronized (last) {
					if (last[0] == ExportStatus.PROCESSING && state.status() != ExportStatus.PROCESSING) {
						last[0] = state.status();
						return true;
					}
					return false;
				}
			})).takeUntil(ExportState::finished);
		}).onErrorMap((error) -> !(error instanceof ExogateException), Exports::unreadable);
	}

	private static UpstreamUnavailableException unreadable(Throwable error) {
		return new UpstreamUnavailableException("Export states cannot be read now; try again shortly");
	}


	/**
	 * Applies Exotel's callback for an export of this account: empty when the account has no such
	 * export; else whether it changed anything.
	 */
	public Mono<Boolean> callback(String account, ExportCallback callback) {
		return this.store.owner(account, callback.exportId())
			.flatMap((tenant) -> this.store.update(tenant, callback.exportId(), (state) -> advance(state, account, callback)))
			.doOnNext((change) -> {
				if (change.changed()) {
					this.events.publish(new Changed(change.after().tenant(), change.after().id()));
					if (change.after().finished()) {
						deliver(change.after());
					}
				}
			})
			.map(Change::changed);
	}

	/** A callback on a finished export, or of another account, changes nothing. */
	private ExportState advance(ExportState state, String account, ExportCallback callback) {
		if (!state.account().equals(account) || state.finished() || callback.status() == ExportStatus.PROCESSING) {
			return state;
		}
		return state.withResult(callback.status(), callback.downloadUrl(), callback.expiresAt(), callback.recordingCount(),
				this.clock.instant());
	}

	private void deliver(ExportState state) {
		Disposable[] delivery = { null };
		delivery[0] = this.forwarder.forward(state)
			.flatMap((outcome) -> this.store.update(state.tenant(), state.id(),
					(current) -> current.withDelivery(outcome.delivery(), outcome.attempts(), this.clock.instant())))
			.doOnNext((Change change) -> {
				if (change.changed()) {
					this.events.publish(new Changed(state.tenant(), state.id()));
				}
			})
			.doFinally((signal) -> {
				if (delivery[0] != null) {
					this.deliveries.remove(delivery[0]);
				}
			})
			.subscribe(null, (error) -> this.forwarder.lost(state, error));
		if (!delivery[0].isDisposed()) {
			this.deliveries.add(delivery[0]);
		}
	}

	@Override
	public void close() {
		this.deliveries.dispose();
	}

	/** Reads Exotel's export callback body; an {@link IllegalArgumentException} says what is wrong with it. */
	public static ExportCallback read(String body) {
		return ExportCallback.parse(body);
	}

}
