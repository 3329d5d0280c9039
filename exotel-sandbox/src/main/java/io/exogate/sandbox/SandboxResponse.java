package io.exogate.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Flux;

/** What a handler answers: status, headers and a body that may be streamed. */
record SandboxResponse(int status, Map<String, String> headers, Flux<byte[]> body) {

	static SandboxResponse of(int status, String contentType, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", contentType);
		headers.put("content-length", String.valueOf(bytes.length));
		return new SandboxResponse(status, headers, Flux.just(bytes));
	}

	static SandboxResponse json(int status, String body) {
		return of(status, "application/json; charset=utf-8", body);
	}

	static SandboxResponse xml(int status, String body) {
		return of(status, "application/xml; charset=utf-8", body);
	}

	static SandboxResponse html(int status, String body) {
		return of(status, "text/html; charset=utf-8", body);
	}

	/** nginx's own error page, as Exotel's edge answers when what is behind it fails. */
	static SandboxResponse nginx(int status, String reason) {
		String title = status + " " + reason;
		return html(status, "<html><head><title>" + title + "</title></head><body><center><h1>" + title
				+ "</h1></center><hr><center>nginx</center></body></html>\n");
	}

	/** nginx's 500 page. */
	static SandboxResponse internalError() {
		return nginx(500, "Internal Server Error");
	}

	/** The same response with one more header. */
	SandboxResponse withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new SandboxResponse(this.status, headers, this.body);
	}

}
