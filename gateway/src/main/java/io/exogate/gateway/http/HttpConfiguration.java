package io.exogate.gateway.http;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.server.WebSocketService;

/**
 * The GraphQL endpoint's HTTP protocol: the request guard on {@code spring.graphql.http.path}, codes for
 * GraphQL request errors, the server's codec limit held to {@code exogate.http.max-body-size}, and the
 * read timeout, which an open WebSocket is not under.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
public class HttpConfiguration implements WebFluxConfigurer {

	private final HttpProperties properties;

	public HttpConfiguration(HttpProperties properties) {
		this.properties = properties;
	}

	/**
	 * The request guard on {@code spring.graphql.http.path}; it runs inside the security chain, after
	 * authentication and the client's rate limit, so that no body is read for an anonymous caller.
	 */
	public static GraphQlRequestGuard graphQlRequestGuard(Environment environment, HttpProperties properties,
			java.util.function.Function<org.springframework.web.server.ServerWebExchange, reactor.core.publisher.Mono<Integer>> callersLimit) {
		return new GraphQlRequestGuard(environment.getProperty("spring.graphql.http.path", "/graphql"), properties.maxBodyBytes(),
				callersLimit);
	}

	@Bean
	org.springframework.boot.reactor.netty.NettyServerCustomizer exogateReadTimeout() {
		return (server) -> server.readTimeout(this.properties.readTimeout()).idleTimeout(this.properties.readTimeout());
	}

	@Bean
	RequestErrorCodes requestErrorCodes() {
		return new RequestErrorCodes();
	}

	/** WebSockets without the read timeout, which is for HTTP requests. */
	@Override
	public WebSocketService getWebSocketService() {
		return new WebSocketUpgrades();
	}

	/** Server-side decoding only: the WebClients talking to Exotel keep their own limits. */
	@Override
	public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
		configurer.defaultCodecs().maxInMemorySize(this.properties.maxBodyBytes());
	}

}
