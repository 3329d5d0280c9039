package io.exogate.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The GraphiQL page at {@code /graphiql}, served as it is (no redirect that would echo the request's
 * {@code Host}), its code and styles under {@code /graphiql/assets/} (bundled from npm at build time,
 * nothing loaded from another host), and its settings: the headers its editor starts with (demo mode's
 * key or an empty one to fill in) and the paths of the GraphQL endpoint and of its WebSocket. Each
 * answer of the page carries a fresh nonce, which its policy allows for the style elements GraphiQL's
 * menus and dialogs add.
 */
public final class GraphiQlPage {

	/** Where the build puts the page; its assets are in {@code assets/} beside it. */
	static final String LOCATION = "graphiql/";

	private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

	/** An asset whose name carries a hash of its content (esbuild's {@code [name]-[hash]}), which never changes. */
	private static final Pattern HASHED = Pattern.compile("[\\w.]+-[A-Z0-9]{8}\\.[\\w.]+");

	/** Where the page names its nonce, for the style elements its code adds. */
	static final String NONCE = "@NONCE@";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private GraphiQlPage() {
	}

	/**
	 * The Content-Security-Policy of everything under {@code /graphiql}: scripts and styles from this
	 * origin only (and the page's own inline scripts by their SHA-256, should it have any), fonts and
	 * images from this origin or inlined, and requests to this origin: {@code 'self'} covers the
	 * WebSocket on the same host and port (CSP Level 3), and {@code exogate.public-base-url}'s WebSocket
	 * origin is named too when it is set. The page itself adds its nonce to {@code style-src}.
	 * @param publicBaseUrl {@code exogate.public-base-url}, or {@code null}
	 */
	public static String contentSecurityPolicy(String publicBaseUrl) {
		return contentSecurityPolicy(scriptSources(page()), webSocketOrigin(publicBaseUrl), null);
	}

	/** The policy, with the page's style nonce when it has one; no I/O, for each answer of the page. */
	private static String contentSecurityPolicy(String scriptSources, String webSocket, String nonce) {
		return "default-src 'none'; script-src " + scriptSources + "; style-src 'self'" + ((nonce != null) ? " 'nonce-" + nonce + "'" : "")
				+ "; font-src 'self' data:; img-src 'self' data:; connect-src 'self'" + ((webSocket != null) ? " " + webSocket : "")
				+ "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
	}

	/** {@code 'self'} and the SHA-256 of each inline script of the page. */
	private static String scriptSources(String page) {
		StringBuilder scripts = new StringBuilder("'self'");
		for (String script : inlineScripts(page)) {
			scripts.append(" 'sha256-").append(sha256(script)).append('\'');
		}
		return scripts.toString();
	}

	/** A fresh nonce for one answer of the page. */
	static String nonce() {
		byte[] bytes = new byte[18];
		RANDOM.nextBytes(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

	/** {@code ws://host[:port]} or {@code wss://...} for an http(s) base URL, else {@code null}. */
	static String webSocketOrigin(String baseUrl) {
		if (baseUrl == null || baseUrl.isBlank()) {
			return null;
		}
		URI uri;
		try {
			uri = URI.create(baseUrl.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
			return null;
		}
		return (scheme.equals("https") ? "wss://" : "ws://") + uri.getHost() + ((uri.getPort() != -1) ? ":" + uri.getPort() : "");
	}

	static List<String> inlineScripts(String page) {
		List<String> scripts = new ArrayList<>();
		Matcher matcher = INLINE_SCRIPT.matcher(page);
		while (matcher.find()) {
			scripts.add(matcher.group(1));
		}
		return scripts;
	}

	/** The page as the build wrote it, with {@value #NONCE} where each answer's nonce goes. */
	private static String page() {
		try (InputStream in = new ClassPathResource(LOCATION + "index.html").getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The GraphiQL page (classpath:" + LOCATION + "index.html) is missing: the gateway's"
					+ " Maven build makes it with npm in its generate-resources phase (./mvnw -pl gateway -am package)", ex);
		}
	}

	private static String sha256(String text) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The page, its assets and its settings.
	 * @param headers what the page's header editor starts with
	 * @param graphQlPath {@code spring.graphql.http.path}
	 * @param webSocketPath {@code spring.graphql.websocket.path}, or {@code null} when there is no WebSocket
	 * @param publicBaseUrl {@code exogate.public-base-url}, or {@code null}
	 */
	public static RouterFunction<ServerResponse> routes(Map<String, String> headers, String graphQlPath, String webSocketPath,
			String publicBaseUrl) {
		String page = page();
		String scriptSources = scriptSources(page);
		String webSocket = webSocketOrigin(publicBaseUrl);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("headers", headers);
		settings.put("path", graphQlPath);
		settings.put("subscriptionPath", webSocketPath);
		return RouterFunctions.route()
			.GET("/graphiql", (request) -> {
				String nonce = nonce();
				return ServerResponse.ok()
					.contentType(MediaType.TEXT_HTML)
					.cacheControl(CacheControl.noCache())
					.header("Content-Security-Policy", contentSecurityPolicy(scriptSources, webSocket, nonce))
					.bodyValue(page.replace(NONCE, nonce));
			})
			.GET("/graphiql/settings.json", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(settings))
			.add(RouterFunctions.resources("/graphiql/assets/**", new ClassPathResource(LOCATION + "assets/"), GraphiQlPage::caching))
			.build();
	}

	/** Hashed names are cached for a year; anything else is checked again each time. */
	private static void caching(Resource resource, HttpHeaders headers) {
		String name = resource.getFilename();
		CacheControl cache = (name != null && HASHED.matcher(name).matches()) ? IMMUTABLE : CacheControl.noCache();
		headers.setCacheControl(cache);
	}

}
