package io.exogate.model.port;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The instant by which a whole request must be answered. The gateway writes one into the Reactor
 * context of each GraphQL request; the ports read it so that every upstream attempt, retry and wait
 * made for that request ends by then. Time is read from Reactor's parallel scheduler, so virtual
 * time moves it in tests.
 *
 * @param atMillis the deadline, in the parallel scheduler's milliseconds
 */
public record Deadline(long atMillis) {

	private static final Object KEY = Deadline.class;

	/** A deadline {@code timeout} from now. */
	public static Deadline after(Duration timeout) {
		return new Deadline(now() + timeout.toMillis());
	}

	/** The context carrying this deadline. */
	public Context writeTo(Context context) {
		return context.put(KEY, this);
	}

	/** The deadline the context carries, or {@code null}. */
	public static Deadline of(ContextView context) {
		return context.getOrDefault(KEY, null);
	}

	/** The deadline of the subscriber's context, or an empty Mono when it carries none. */
	public static Mono<Deadline> current() {
		return Mono.deferContextual((context) -> Mono.justOrEmpty(of(context)));
	}

	/** Time left; zero or negative once passed. */
	public Duration remaining() {
		return Duration.ofMillis(this.atMillis - now());
	}

	/** Whether no time is left. */
	public boolean hasPassed() {
		return this.atMillis <= now();
	}

	private static long now() {
		return Schedulers.parallel().now(TimeUnit.MILLISECONDS);
	}

}
