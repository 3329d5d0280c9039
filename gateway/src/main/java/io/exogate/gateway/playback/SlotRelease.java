package io.exogate.gateway.playback;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Releases a playback exchange's slot when the exchange ends, however it ends: the body releases it
 * when it ends, but a body never subscribed (the client gone before the response was written, an
 * error after the handler) would otherwise hold the slot, and the upstream connection, for good.
 */
final class SlotRelease implements WebFilter, Ordered {

	/** The exchange attribute holding the exchange's {@link PlaybackStreams.Slot}. */
	static final String ATTRIBUTE = SlotRelease.class.getName() + ".slot";

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(PlaybackLinks.PATH + "/")) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange).doFinally((signal) -> {
			if (exchange.getAttributes().get(ATTRIBUTE) instanceof PlaybackStreams.Slot slot) {
				slot.release();
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
