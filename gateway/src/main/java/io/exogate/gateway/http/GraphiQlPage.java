package io.exogate.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

	private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

	private GraphiQlPage() {
	}

	/**
	 * The page's Content-Security-Policy: its own inline scripts (the import map and the module) by
	 * their SHA-256, GraphiQL from esm.sh, and requests to this origin only.
	 */
	public static String contentSecurityPolicy() {
		StringBuilder hashes = new StringBuilder();
		for (String script : inlineScripts()) {
			hashes.append("'sha256-").append(sha256(script)).append("' ");
		}
		return "default-src 'none'; script-src 'self' " + hashes + "https://esm.sh; style-src 'self' 'unsafe-inline' https://esm.sh;"
				+ " font-src 'self' data: https://esm.sh; img-src 'self' data: https://esm.sh; connect-src 'self' https://esm.sh;"
				+ " worker-src 'self' blob: https://esm.sh; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
	}

	static List<String> inlineScripts() {
		String page;
		try (InputStream in = new ClassPathResource("graphiql/index.html").getInputStream()) {
			page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The GraphiQL page is missing from the classpath", ex);
		}
		List<String> scripts = new ArrayList<>();
		Matcher matcher = INLINE_SCRIPT.matcher(page);
		while (matcher.find()) {
			scripts.add(matcher.group(1));
		}
		return scripts;
	}

	private static String sha256(String text) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
