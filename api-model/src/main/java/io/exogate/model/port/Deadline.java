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
 * @param abandoned completes if the client goes away first: work for the request stops then
 */
public record Deadline(long atMillis, Mono<Void> abandoned) {

	private static final Object KEY = Deadline.class;

	/** A deadline {@code timeout} from now, for a request nobody abandons. */
	public static Deadline after(Duration timeout) {
		return after(timeout, Mono.never());
	}

	/** A deadline {@code timeout} from now, for a request whose client may go away first. */
	public static Deadline after(Duration timeout, Mono<Void> abandoned) {
		return new Deadline(now() + timeout.toMillis(), abandoned);
	}

	/** The context carrying this deadline. */
	public Context writeTo(Context context) {
		return context.put(KEY, this);
	}

	/**
	 * The context for work shared by several requests (one upstream call answering them all): the
	 * deadline it carries stays, but one client going away no longer stops that work.
	 */
	public static Context shared(Context context) {
		Deadline deadline = of(context);
		return (deadline != null) ? context.put(KEY, new Deadline(deadline.atMillis, Mono.never())) : context;
	}

	/** The deadline the context carries, or {@code null}. */
	public static Deadline of(ContextView context) {
		return context.getOrDefault(KEY, null);
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
