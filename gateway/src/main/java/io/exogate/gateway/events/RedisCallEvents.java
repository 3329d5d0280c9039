package io.exogate.gateway.events;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import reactor.core.publisher.Flux;

/** {@link CallEvents} shared by every instance on one Redis, over the channel {@value #CHANNEL}. */
public final class RedisCallEvents implements CallEvents, AutoCloseable {

	/** The pub/sub channel. */
	public static final String CHANNEL = "exogate:events:call";

	private final RedisRelay<CallEvent> relay;

	public RedisCallEvents(RedisClient client, RedisURI uri, Duration timeout) {
		this.relay = new RedisRelay<>(client, uri, timeout, CHANNEL, RedisCallEvents::encode, RedisCallEvents::decode);
	}

	@Override
	public void publish(CallEvent event) {
		this.relay.publish(event);
	}

	@Override
	public Flux<CallEvent> events() {
		return this.relay.events();
	}

	/** Whether the channel is subscribed. */
	public boolean subscribed() {
		return this.relay.subscribed();
	}

	@Override
	public boolean live() {
		return this.relay.subscribed();
	}

	@Override
	public long outages() {
		return this.relay.disconnections();
	}

	@Override
	public void close() {
		this.relay.close();
	}

	static String encode(CallEvent event) {
		return event.account() + "\n" + event.callSid() + "\n" + event.terminal() + "\n" + event.recordingAvailable();
	}

	static CallEvent decode(String text) {
		String[] parts = text.split("\n", -1);
		if (parts.length != 4) {
			throw new IllegalArgumentException("not a call event");
		}
		return new CallEvent(parts[0], parts[1], Boolean.parseBoolean(parts[2]), Boolean.parseBoolean(parts[3]));
	}

}
