package io.exogate.gateway.export;

import io.exogate.gateway.events.RedisRelay;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Which export changed: in process, or over the Redis channel {@value #CHANNEL} so that a callback
 * received by one instance reaches the subscriptions of every instance. Listeners read the new state
 * from the {@link ExportStore}.
 */
public final class ExportEvents implements AutoCloseable {

	/** The pub/sub channel. */
	public static final String CHANNEL = "exogate:events:export";

	private final RedisRelay<Changed> relay;

	private final Sinks.Many<Changed> local = Sinks.many().multicast().directBestEffort();

	private ExportEvents(RedisRelay<Changed> relay) {
		this.relay = relay;
	}

	/** Events within this instance. */
	public static ExportEvents inProcess() {
		return new ExportEvents(null);
	}

	/** Events over this relay. */
	public static ExportEvents over(RedisRelay<Changed> relay) {
		return new ExportEvents(relay);
	}

	/** Says the export changed; never blocks or fails. */
	public void publish(Changed changed) {
		if (this.relay != null) {
			this.relay.publish(changed);
			return;
		}
		synchronized (this.local) {
			this.local.tryEmitNext(changed);
		}
	}

	/** Every change from now on, hot. */
	public Flux<Changed> events() {
		return (this.relay != null) ? this.relay.events() : this.local.asFlux();
	}

	@Override
	public void close() {
		if (this.relay != null) {
			this.relay.close();
		}
	}

	static String encode(Changed changed) {
		return changed.tenant() + "\n" + changed.id();
	}

	static Changed decode(String text) {
		int newline = text.indexOf('\n');
		if (newline < 0) {
			throw new IllegalArgumentException("not an export event");
		}
		return new Changed(text.substring(0, newline), text.substring(newline + 1));
	}

	/** A relay of export changes over Redis. */
	public static RedisRelay<Changed> relay(io.lettuce.core.RedisClient client, io.lettuce.core.RedisURI uri,
			java.time.Duration timeout) {
		return new RedisRelay<>(client, uri, timeout, CHANNEL, ExportEvents::encode, ExportEvents::decode);
	}

	/**
	 * One export changed.
	 *
	 * @param tenant its tenant
	 * @param id its id
	 */
	public record Changed(String tenant, String id) {
	}

}
