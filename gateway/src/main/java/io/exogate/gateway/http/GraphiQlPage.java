package io.exogate.gateway.http;

import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The GraphiQL page at {@code /graphiql}, served as it is (no redirect that would echo the request's
 * {@code Host}), and its settings: the headers its editor starts with, demo mode's key or an empty
 * one to fill in.
 */
public final class GraphiQlPage {

	private GraphiQlPage() {
	}

	/** The page and its settings; {@code headers} is what the page's header editor starts with. */
	public static RouterFunction<ServerResponse> routes(Map<String, String> headers) {
		ClassPathResource page = new ClassPathResource("graphiql/index.html");
		Map<String, Object> settings = Map.of("headers", headers);
		return RouterFunctions.route()
			.GET("/graphiql", (request) -> ServerResponse.ok()
				.contentType(MediaType.TEXT_HTML)
				.cacheControl(CacheControl.noCache())
				.bodyValue(page))
			.GET("/graphiql/settings.json", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(settings))
			.build();
	}

}
