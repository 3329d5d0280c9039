package io.exogate.gateway.e2e;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A token issuer's JWK set endpoint, {@code /jwks} on a free loopback port, that counts every request
 * it receives by path; or one that accepts connections and never answers.
 */
final class JwkServer implements AutoCloseable {

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private final DisposableServer server;

	private JwkServer(JWKSet keys) {
		byte[] body = (keys != null) ? keys.toString().getBytes(StandardCharsets.UTF_8) : null;
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			String path = URI.create(request.uri()).getPath();
			this.requests.computeIfAbsent(path, (counted) -> new AtomicInteger()).incrementAndGet();
			if (body == null) {
				return Mono.never();
			}
			if (!path.equals("/jwks")) {
				return response.status(404).send();
			}
			return response.header("Content-Type", "application/json").sendByteArray(Mono.just(body)).then();
		}).bindNow();
	}

	/** Serves these keys. */
	static JwkServer serving(JWKSet keys) {
		return new JwkServer(keys);
	}

	/** Never answers. */
	static JwkServer hanging() {
		return new JwkServer(null);
	}

	/** The server's root, {@code http://127.0.0.1:<port>}. */
	String base() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** The JWK set's URL. */
	String jwkSetUri() {
		return base() + "/jwks";
	}

	/** How many requests for the JWK set it received. */
	int keySetRequests() {
		AtomicInteger count = this.requests.get("/jwks");
		return (count != null) ? count.get() : 0;
	}

	/** Every path requested, with how often. */
	Map<String, Integer> requests() {
		Map<String, Integer> counts = new TreeMap<>();
		this.requests.forEach((path, count) -> counts.put(path, count.get()));
		return counts;
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
