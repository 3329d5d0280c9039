package io.exogate.gateway.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns away, before any GraphQL work (and, placed in the security chain after authentication and the
 * client's rate limit, only for callers), requests to the GraphQL endpoint that are not GraphQL-over-HTTP
 * requests: a method other than POST (405), an Accept it cannot answer (406), a body that is not
 * UTF-8 {@code application/json} (415), larger than {@code exogate.http.max-body-size} (413, read no
 * further than the limit), or not a JSON object with a string {@code query} (400). A WebSocket handshake
 * on the same path is left to the WebSocket handler. Each refusal is a
 * GraphQL error body with {@code extensions.code}; a body that passes goes on unchanged, its bytes
 * also under the {@link #READ_BODY} attribute for the filters after this one.
 */
public final class GraphQlRequestGuard implements WebFilter, Ordered {

	/** Its order where it stands alone (tests); the gateway places it inside the security chain. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	/** The exchange attribute holding the body as read ({@code byte[]}): read it, never change it. */
	public static final String READ_BODY = GraphQlRequestGuard.class.getName() + ".body";

	static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	private static final List<MediaType> ANSWERABLE = List.of(GRAPHQL_RESPONSE, MediaType.APPLICATION_JSON,
			MediaType.TEXT_EVENT_STREAM);

	private static final Logger logger = LoggerFactory.getLogger(GraphQlRequestGuard.class);

	private static final byte[] NO_BYTES = new byte[0];

	private final String path;

	private final PathPattern pattern;

	private final int maxBodyBytes;

	private final RequestBodyCheck bodyCheck = new RequestBodyCheck();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Function<ServerWebExchange, Mono<Integer>> callersLimit;

	public GraphQlRequestGuard(String path, int maxBodyBytes) {
		this(path, maxBodyBytes, (exchange) -> Mono.empty());
	}

	/**
	 * @param callersLimit the caller's own body limit, when it has one; the smaller of it and
	 * {@code maxBodyBytes} applies
	 */
	public GraphQlRequestGuard(String path, int maxBodyBytes, Function<ServerWebExchange, Mono<Integer>> callersLimit) {
		this.callersLimit = callersLimit;
		this.path = path;
		this.pattern = PathPatternParser.defaultInstance.parse(PathPatternParser.defaultInstance.initFullPathPattern(path));
		this.maxBodyBytes = maxBodyBytes;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.pattern.matches(request.getPath().pathWithinApplication()) || CorsUtils.isPreFlightRequest(request)
				|| isWebSocketUpgrade(request)) {
			return chain.filter(exchange);
		}
		List<MediaType> accept;
		try {
			accept = request.getHeaders().getAccept();
		}
		catch (InvalidMediaTypeException ex) {
			return refuse(exchange, List.of(), Refusal.badRequest("The Accept header is not a list of media types."));
		}
		return this.callersLimit.apply(exchange)
			.map((own) -> Math.min(own, this.maxBodyBytes))
			.defaultIfEmpty(this.maxBodyBytes)
			.flatMap((limit) -> guard(exchange, chain, accept, limit));
	}

	/**
	 * Whether the request is a WebSocket handshake: a {@code GET} asking to upgrade to {@code websocket}.
	 * On the GraphQL path it goes to the WebSocket handler (graphql-transport-ws), not to this guard.
	 */
	public static boolean isWebSocketUpgrade(ServerHttpRequest request) {
		if (!HttpMethod.GET.equals(request.getMethod())) {
			return false;
		}
		String upgrade = request.getHeaders().getUpgrade();
		return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
	}

	private Mono<Void> guard(ServerWebExchange exchange, WebFilterChain chain, List<MediaType> accept, int limit) {
		ServerHttpRequest request = exchange.getRequest();
		Refusal refusal = checkHeaders(request, accept, limit);
		if (refusal != null) {
			return refuse(exchange, accept, refusal);
		}
		return read(request, limit).flatMap((body) -> {
			Refusal bodyRefusal = this.bodyCheck.check(body);
			if (bodyRefusal != null) {
				return refuse(exchange, accept, bodyRefusal);
			}
			exchange.getAttributes().put(READ_BODY, body);
			return chain.filter(exchange.mutate().request(new ReadRequest(request, body, null)).build());
		}).onErrorResume(TooLarge.class, (ex) -> refuse(exchange, accept, Refusal.tooLarge(limit)));
	}

	private Refusal checkHeaders(ServerHttpRequest request, List<MediaType> accept, int limit) {
		if (!HttpMethod.POST.equals(request.getMethod())) {
			return Refusal.methodNotAllowed(request.getMethod().name());
		}
		if (!accept.isEmpty() && accept.stream().noneMatch(GraphQlRequestGuard::answerable)) {
			return Refusal.notAcceptable();
		}
		Refusal contentType = checkContentType(request.getHeaders());
		if (contentType != null) {
			return contentType;
		}
		if (request.getHeaders().getContentLength() > limit) {
			return Refusal.tooLarge(limit);
		}
		return null;
	}

	private static boolean answerable(MediaType accepted) {
		return accepted.getQualityValue() > 0 && ANSWERABLE.stream().anyMatch(accepted::isCompatibleWith);
	}

	private static Refusal checkContentType(HttpHeaders headers) {
		String header = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		if (header == null || header.isBlank()) {
			return Refusal.unsupportedMediaType("The request has no Content-Type; send it as application/json.");
		}
		MediaType contentType;
		try {
			contentType = MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			return Refusal.unsupportedMediaType("The Content-Type header is not a media type; send the request as application/json.");
		}
		if (!contentType.getType().equalsIgnoreCase("application") || !contentType.getSubtype().equalsIgnoreCase("json")) {
			return Refusal.unsupportedMediaType("Content-Type " + ClientText.excerpt(contentType.getType() + "/" + contentType.getSubtype(), 60)
					+ " is not supported; send the request as application/json.");
		}
		String charset = contentType.getParameter("charset");
		if (charset != null && !utf8(charset)) {
			return Refusal.unsupportedMediaType("Charset " + ClientText.excerpt(charset, 30)
					+ " is not supported; send application/json in UTF-8.");
		}
		return null;
	}

	private static boolean utf8(String charset) {
		String name = charset.strip();
		if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
			name = name.substring(1, name.length() - 1);
		}
		try {
			return Charset.isSupported(name) && StandardCharsets.UTF_8.equals(Charset.forName(name));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The whole body, or an error once more than the limit arrived; nothing beyond the limit is kept. */
	private Mono<byte[]> read(ServerHttpRequest request, int limit) {
		return DataBufferUtils.join(request.getBody(), limit)
			.map(GraphQlRequestGuard::bytes)
			.defaultIfEmpty(NO_BYTES)
			.onErrorMap(DataBufferLimitException.class, (ex) -> new TooLarge());
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private Mono<Void> refuse(ServerWebExchange exchange, List<MediaType> accept, Refusal refusal) {
		if (logger.isDebugEnabled()) {
			logger.debug("Refused {} {}: {} {}", exchange.getRequest().getMethod(), this.path, refusal.status().value(),
					refusal.code());
		}
		return write(exchange, accept, refusal);
	}

	/**
	 * Answers the request with the refusal's GraphQL error body, in the media type the guard picks
	 * from its {@code Accept} header; for filters that run after the guard.
	 */
	public static Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal) {
		List<MediaType> accept;
		try {
			accept = exchange.getRequest().getHeaders().getAccept();
		}
		catch (InvalidMediaTypeException ex) {
			accept = List.of();
		}
		return write(exchange, accept, refusal);
	}

	private static Mono<Void> write(ServerWebExchange exchange, List<MediaType> accept, Refusal refusal) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(refusal.status());
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(responseType(accept));
		if (refusal.status().value() == 405) {
			headers.setAllow(Set.of(HttpMethod.POST));
		}
		else if (refusal.status().value() == 415) {
			headers.setAccept(List.of(MediaType.APPLICATION_JSON));
		}
		byte[] body = json.writeValueAsBytes(GraphQlErrorBody.of(refusal));
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	/** {@code application/graphql-response+json} when the client names it, {@code application/json} otherwise. */
	/** The media type of a refusal to {@code exchange}: what its Accept header names, when it parses. */
	public static MediaType responseType(ServerWebExchange exchange) {
		try {
			return responseType(exchange.getRequest().getHeaders().getAccept());
		}
		catch (InvalidMediaTypeException ex) {
			return MediaType.APPLICATION_JSON;
		}
	}

	static MediaType responseType(List<MediaType> accept) {
		for (MediaType accepted : accept) {
			if (accepted.getQualityValue() > 0 && accepted.getType().equals(GRAPHQL_RESPONSE.getType())
					&& accepted.getSubtype().equals(GRAPHQL_RESPONSE.getSubtype())) {
				return GRAPHQL_RESPONSE;
			}
		}
		return MediaType.APPLICATION_JSON;
	}

	/**
	 * The request as read: the same headers, and the body from the bytes already taken off the wire;
	 * or, {@linkplain #withBody made by a later filter}, another body and its {@code Content-Length}.
	 */
	public static final class ReadRequest extends ServerHttpRequestDecorator {

		private final byte[] body;

		private final HttpHeaders headers;

		private ReadRequest(ServerHttpRequest delegate, byte[] body, HttpHeaders headers) {
			super(delegate);
			this.body = body;
			this.headers = headers;
		}

		/** The request with {@code body} in place of its own, its {@code Content-Length} set to match. */
		public static ReadRequest withBody(ServerHttpRequest request, byte[] body) {
			HttpHeaders headers = HttpHeaders.copyOf(request.getHeaders());
			headers.remove(HttpHeaders.TRANSFER_ENCODING);
			headers.setContentLength(body.length);
			return new ReadRequest(request, body, HttpHeaders.readOnlyHttpHeaders(headers));
		}

		@Override
		public HttpHeaders getHeaders() {
			return (this.headers != null) ? this.headers : super.getHeaders();
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(this.body)));
		}

	}

	/** The body went past the limit. */
	private static final class TooLarge extends RuntimeException {

		TooLarge() {
			super(null, null, false, false);
		}

	}

}
