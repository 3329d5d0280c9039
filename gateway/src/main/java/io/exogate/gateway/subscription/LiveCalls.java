package io.exogate.gateway.subscription;

import io.exogate.gateway.call.CallViews;
import io.exogate.gateway.call.SharedViews;
import io.exogate.gateway.events.CallEvents;
import io.exogate.model.call.Call;
import io.exogate.model.port.CallSource;
import io.exogate.model.port.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Each account's live calls, for {@code activeCalls} subscriptions: one poller per account however many
 * subscribers (of any tenant allowed the account), every {@code active-calls-interval} and at once
 * (debounced, and at most once per {@code event-poll-gap}) on a call event of the account. It emits the
 * list when it changes (by each call's SID, status, direction, start and end), and stops when the last
 * subscriber leaves. A failed poll is
 * skipped: subscribers keep the list they have. Each list comes with the {@link SharedViews} its
 * subscribers resolve other versions' fields through, so they share one set of lookups per list.
 */
public final class LiveCalls {

	private static final Logger logger = LoggerFactory.getLogger(LiveCalls.class);

	private final CallSource calls;

	private final CallEvents events;

	private final SubscriptionProperties properties;

	private final Duration pollDeadline;

	private final Scheduler scheduler;

	private final CallViews views;

	private final Watches<String, Snapshot> watches = new Watches<>(this::poll);

	/**
	 * @param pollDeadline how long one poll or one shared lookup, retries and budget waits included, may take
	 * @param scheduler the timer of the interval, the debounce and the gap, and the clock of the shared views
	 */
	public LiveCalls(CallSource calls, CallViews views, CallEvents events, SubscriptionProperties properties, Duration pollDeadline,
			Scheduler scheduler) {
		this.calls = calls;
		this.views = views;
		this.events = events;
		this.properties = properties;
		this.pollDeadline = pollDeadline;
		this.scheduler = scheduler;
	}

	/** One list of the account's live calls, and the other versions' views of them its subscribers share. */
	public record Snapshot(List<Call> calls, SharedViews views) {
	}

	/** The account's live calls now (the latest list the poller has, at once), then each time they change. */
	public Flux<Snapshot> watch(String account) {
		return this.watches.watch(account);
	}

	/** The running pollers and their watchers. */
	public Watches<String, Snapshot> watches() {
		return this.watches;
	}

	private Flux<Snapshot> poll(String account) {
		Flux<Object> ticks = Flux.interval(Duration.ZERO, this.properties.activeCallsInterval(), this.scheduler)
			.onBackpressureDrop()
			.cast(Object.class);
		Flux<Object> woken = Wakeups.of(this.events.events().filter((event) -> event.account().equals(account)), this.properties,
				this.scheduler);
		return Flux.merge(ticks, woken)
			.onBackpressureLatest()
			.concatMap((trigger) -> once(account), 1)
			.distinctUntilChanged(LiveCalls::signature)
			.map((calls) -> new Snapshot(calls, new SharedViews(account, calls, this.views, this.properties.activeCallsInterval(),
					this.pollDeadline, this.scheduler)));
	}

	private Mono<List<Call>> once(String account) {
		return this.calls.activeCalls(account)
			.collectList()
			.contextWrite((context) -> Deadline.after(this.pollDeadline).writeTo(context))
			.onErrorResume((ex) -> {
				logger.debug("A poll of live calls failed; the next follows in its interval: {}", ex.toString());
				return Mono.empty();
			});
	}

	/** What a change of the list is judged by. */
	static List<List<Object>> signature(List<Call> calls) {
		return calls.stream()
			.map((call) -> java.util.Arrays.<Object>asList(call.sid(), call.status(), call.rawStatus(), call.direction(), call.startedAt(),
					call.endedAt()))
			.sorted(java.util.Comparator.comparing((List<Object> one) -> Objects.toString(one.get(0))))
			.toList();
	}

}
