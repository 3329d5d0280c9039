package io.exogate.gateway.http;

import java.util.List;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;
import reactor.netty.NettyPipeline;

/**
 * Upgrades WebSocket handshakes as Spring does, then takes {@code exogate.http.read-timeout} off the
 * connection: it bounds the reading of one HTTP request, but Reactor Netty leaves it on a connection
 * upgraded while its request is read, where it would close any socket quiet for that long (a client
 * waiting on a subscription says nothing).
 */
final class WebSocketUpgrades implements WebSocketService {

	private final HandshakeWebSocketService handshakes = new HandshakeWebSocketService();

	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
		Object connection = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		return this.handshakes.handleRequest(exchange, (connection instanceof NettyOutbound netty) ? new Untimed(handler, netty) : handler);
	}

	/** The handler, on a connection without the read timeout. */
	private record Untimed(WebSocketHandler handler, NettyOutbound connection) implements WebSocketHandler {

		@Override
		public List<String> getSubProtocols() {
			return this.handler.getSubProtocols();
		}

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			this.connection.withConnection((upgraded) -> upgraded.removeHandler(NettyPipeline.ReadTimeoutHandler));
			return this.handler.handle(session);
		}

	}

}
