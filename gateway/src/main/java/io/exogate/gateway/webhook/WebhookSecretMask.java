package io.exogate.gateway.webhook;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Takes a webhook's {@code ?secret=} out of its URI before anything can log it. As an
 * {@link HttpHandlerDecoratorFactory} it wraps the server's handler, so the request the server's
 * own DEBUG line (method, path and query) and error lines describe has no secret in its URI or
 * query parameters; as the first {@link WebFilter} it hands the secret to the webhook in the
 * exchange attribute {@link #ATTRIBUTE}. Other paths are left alone.
 */
final class WebhookSecretMask implements HttpHandlerDecoratorFactory, WebFilter, Ordered {

	/** The exchange attribute holding the secrets the request's query gave, as a {@code List<String>}. */
	static final String ATTRIBUTE = WebhookSecretMask.class.getName() + ".secret";

	static final String PARAMETER = "secret";

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(mask(request), response);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		for (ServerHttpRequest request = exchange.getRequest(); request instanceof ServerHttpRequestDecorator decorator;
				request = decorator.getDelegate()) {
			if (request instanceof Masked masked) {
				exchange.getAttributes().put(ATTRIBUTE, masked.secrets);
				break;
			}
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** The request with its secret taken out of the URI, or the request itself when it is no webhook's or has none. */
	static ServerHttpRequest mask(ServerHttpRequest request) {
		String rawQuery = request.getURI().getRawQuery();
		if (rawQuery == null || !request.getPath().pathWithinApplication().value().startsWith(WebhookLinks.PREFIX)) {
			return request;
		}
		List<String> secrets = request.getQueryParams().getOrDefault(PARAMETER, List.of());
		StringBuilder kept = new StringBuilder();
		boolean dropped = false;
		for (String pair : rawQuery.split("&", -1)) {
			if (isSecret(pair)) {
				dropped = true;
			}
			else if (!pair.isEmpty()) {
				kept.append(kept.isEmpty() ? "" : "&").append(pair);
			}
		}
		if (!dropped) {
			return request;
		}
		String uri = request.getURI().toString();
		String base = uri.substring(0, uri.indexOf('?'));
		URI masked = URI.create(kept.isEmpty() ? base : base + "?" + kept);
		return new Masked(request.mutate().uri(masked).build(), List.copyOf(secrets));
	}

	/** Whether the {@code name=value} pair is the secret, or cannot be read and so may be. */
	private static boolean isSecret(String pair) {
		int equals = pair.indexOf('=');
		String name = (equals >= 0) ? pair.substring(0, equals) : pair;
		try {
			return URLDecoder.decode(name, StandardCharsets.UTF_8).equals(PARAMETER);
		}
		catch (IllegalArgumentException ex) {
			return true;
		}
	}

	/** A webhook's request without its secret, which it carries apart. */
	static final class Masked extends ServerHttpRequestDecorator {

		private final List<String> secrets;

		Masked(ServerHttpRequest delegate, List<String> secrets) {
			super(delegate);
			this.secrets = secrets;
		}

	}

}
