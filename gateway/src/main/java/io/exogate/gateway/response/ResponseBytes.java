package io.exogate.gateway.response;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.exogate.gateway.http.GraphQlRequestGuard;
import io.exogate.gateway.response.ResponseCache.Entry;
import io.exogate.gateway.response.ResponseCache.Key;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerAuthentication;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The bytes of answers the {@link ResponseCache} keeps, by tenant, {@code Accept} header and request
 * body exactly as received: a request seen before is answered with them as soon as its caller is known,
 * its allowance taken and its body checked, without decoding it, routing it to GraphQL or encoding an
 * answer. They are served only while the cache still holds, fresh, the very answer they were written
 * from; anything else goes the whole way (and, answered from the cache or executed, its bytes are kept
 * for the next time). Persisted-operation requests (hash or document id) always go the whole way.
 */
public final class ResponseBytes implements WebFilter {

	/** The Reactor context key of the holder where the interceptor leaves the answer it served or kept. */
	static final String ANSWER = ResponseBytes.class.getName() + ".answer";

	/** Answers larger than this are not kept as bytes. */
	static final int MAX_BYTES = 256 * 1024;

	private record Raw(String tenant, String accept, String body) {
	}

	private record Written(Key key, Entry entry, byte[] bytes, String contentType) {
	}

	/** What the interceptor says about the answer: its key and the cache entry it was. */
	record Answer(Key key, Entry entry) {
	}

	private final ResponseCache cache;

	private final Audit audit;

	private final Cache<Raw, Written> written;

	/**
	 * @param maxBytes the memory the kept bytes may take: half of {@code max-size}, the other half being the
	 * response cache's
	 */
	public ResponseBytes(ResponseCache cache, Audit audit, long maxBytes, Clock clock) {
		this.cache = cache;
		this.audit = audit;
		this.written = Caffeine.newBuilder()
			.maximumWeight(maxBytes / 2)
			.<Raw, Written>weigher((raw, bytes) -> (int) Math.min(Integer.MAX_VALUE,
					512L + raw.body().length() + raw.accept().length() + 2L * bytes.bytes().length + bytes.entry().weight()))
			// Gone when the answer they were written from expires; dropped sooner when it is.
			.expireAfter(Expiry.<Raw, Written>creating((raw, bytes) -> {
				Duration left = Duration.between(clock.instant(), bytes.entry().expiresAt());
				return left.isNegative() ? Duration.ZERO : left;
			}))
			.build();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		byte[] body = exchange.getAttribute(GraphQlRequestGuard.READ_BODY);
		if (body == null || body.length == 0) {
			return chain.filter(exchange);
		}
		// Latin-1 keeps every byte as one char: equal strings are equal bodies.
		String text = new String(body, StandardCharsets.ISO_8859_1);
		if (text.contains("\"persistedQuery\"") || text.contains("\"documentId\"")) {
			return chain.filter(exchange);
		}
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(CallerAuthentication.class::isInstance)
			.map((authentication) -> ((CallerAuthentication) authentication).getPrincipal())
			.flatMap((caller) -> serve(exchange, chain, caller, text).thenReturn(true))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	private Mono<Void> serve(ServerWebExchange exchange, WebFilterChain chain, Caller caller, String body) {
		String accept = String.join("\n", exchange.getRequest().getHeaders().getOrDefault(HttpHeaders.ACCEPT, List.of()));
		Raw raw = new Raw(caller.tenant(), accept, body);
		Written known = this.written.getIfPresent(raw);
		if (known != null) {
			if (this.cache.peek(known.key()) == known.entry()) {
				this.cache.hit();
				return write(exchange.getResponse(), caller, known);
			}
			this.written.asMap().remove(raw, known);
		}
		AtomicReference<Answer> told = new AtomicReference<>();
		Capture capture = new Capture(exchange.getResponse(), told);
		return chain.filter(exchange.mutate().response(capture).build()).contextWrite((context) -> context.put(ANSWER, told)).doOnSuccess((done) -> {
			Answer answer = told.get();
			byte[] bytes = capture.bytes();
			HttpStatus status = HttpStatus.resolve(capture.getStatusCode() != null ? capture.getStatusCode().value() : 200);
			String contentType = capture.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
			if (answer != null && bytes != null && status == HttpStatus.OK && answerable(contentType)) {
				this.written.put(raw, new Written(answer.key(), answer.entry(), bytes, contentType));
			}
		});
	}

	/** Only plain JSON answers are kept as bytes (never a stream). */
	private static boolean answerable(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		return type.startsWith("application/json") || type.startsWith("application/graphql-response+json");
	}

	/** Called by the interceptor: the answer of this request is this cache entry. */
	@SuppressWarnings("unchecked")
	static void tell(ContextView context, Answer answer) {
		Object holder = context.getOrDefault(ANSWER, null);
		if (holder instanceof AtomicReference<?> reference) {
			((AtomicReference<Answer>) reference).set(answer);
		}
	}

	private Mono<Void> write(ServerHttpResponse response, Caller caller, Written known) {
		ResponseCacheInterceptor.audited(this.audit, caller, known.entry());
		response.setStatusCode(HttpStatus.OK);
		response.getHeaders().set(HttpHeaders.CONTENT_TYPE, known.contentType());
		response.getHeaders().setContentLength(known.bytes().length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(known.bytes())));
	}

	/** The response as written, with a copy of its body while it stays within {@link #MAX_BYTES}. */
	private static final class Capture extends ServerHttpResponseDecorator {

		private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

		private final AtomicReference<Boolean> complete = new AtomicReference<>(false);

		private final AtomicReference<Answer> told;

		private volatile boolean tooLarge;

		Capture(ServerHttpResponse delegate, AtomicReference<Answer> told) {
			super(delegate);
			this.told = told;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return super.writeWith(Flux.from(body).doOnNext(this::keep).doOnComplete(() -> this.complete.set(true)));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			this.tooLarge = true;
			return super.writeAndFlushWith(body);
		}

		private void keep(DataBuffer buffer) {
			synchronized (this.copy) {
				int readable = buffer.readableByteCount();
				// Only an answer the response cache keeps (told before it is written) is copied.
				if (this.told.get() == null || this.tooLarge || this.copy.size() + readable > MAX_BYTES) {
					this.tooLarge = true;
					return;
				}
				byte[] bytes = new byte[readable];
				buffer.toByteBuffer(buffer.readPosition(), java.nio.ByteBuffer.wrap(bytes), 0, readable);
				this.copy.write(bytes, 0, readable);
			}
		}

		byte[] bytes() {
			synchronized (this.copy) {
				return (this.tooLarge || !this.complete.get() || this.copy.size() == 0) ? null : this.copy.toByteArray();
			}
		}

	}

}
