package io.exogate.gateway.http;

import io.exogate.gateway.logging.Disconnects;
import org.slf4j.Logger;
import org.springframework.http.HttpStatus;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * A client that goes away mid-request (an aborted upload, a reset connection) is nothing to
 * answer and nothing to report: logged at DEBUG, instead of the server's ERROR with a stack trace.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DisconnectedClients implements WebExceptionHandler {

	private static boolean stalled(Throwable error) {
		for (Throwable current = error; current != null; current = (current.getCause() != current) ? current.getCause() : null) {
			if (current instanceof io.netty.handler.timeout.ReadTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private static final Logger logger = LoggerFactory.getLogger(DisconnectedClients.class);

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		if (!Disconnects.isDisconnect(error)) {
			return Mono.error(error);
		}
		logger.debug("The client of {} {} went away: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
				error.toString());
		if (stalled(error) && !exchange.getResponse().isCommitted()) {
			// Still connected but silent past the read timeout: told so, and the connection closed.
			exchange.getResponse().setStatusCode(HttpStatus.REQUEST_TIMEOUT);
			exchange.getResponse().getHeaders().setConnection("close");
			return exchange.getResponse().setComplete();
		}
		return Mono.empty();
	}

}
