package io.exogate.gateway.webhook;

import io.exogate.gateway.security.Audit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * What every webhook from Exotel goes through before its body is read: the account's secret
 * (an unknown account and a wrong or missing secret answer the same 401), the content type (415),
 * and a small body cap (413). Each refusal changes nothing and is audited under the anonymous
 * budget; no refusal quotes the secret or the request's query.
 */
final class Webhook {

	/** The largest body a webhook reads. */
	static final int MAX_BODY = 16 * 1024;

	private final WebhookSecrets secrets;

	private final Audit audit;

	private final MediaType accepted;

	private final String kind;

	Webhook(WebhookSecrets secrets, Audit audit, MediaType accepted, String kind) {
		this.secrets = secrets;
		this.audit = audit;
		this.accepted = accepted;
		this.kind = kind;
	}

	/** Checks the request, then hands the account and the body to the handler; its {@link IllegalArgumentException} answers 400. */
	Mono<ServerResponse> handle(ServerRequest request, BiFunction<String, String, Mono<ServerResponse>> handler) {
		String account = request.pathVariable("account");
		String path = WebhookLinks.PREFIX + account + "/" + this.kind;
		List<String> secret = secrets(request);
		if (secret.size() != 1 || !this.secrets.matches(account, secret.get(0))) {
			return refuse(request, path, HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "unauthenticated",
					"The webhook's secret is missing or wrong, or the account takes no callbacks.",
					secret.isEmpty() ? "no secret" : "wrong secret or unknown account");
		}
		MediaType type;
		try {
			type = request.headers().contentType().orElse(null);
		}
		catch (InvalidMediaTypeException ex) {
			type = null;
		}
		if (type == null || !acceptable(type)) {
			return refuse(request, path, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", "unsupported-media-type",
					"This webhook takes " + this.accepted + " only.", (type != null) ? type.toString() : "no content type");
		}
		long length = request.headers().contentLength().orElse(-1);
		if (length > MAX_BODY) {
			return tooLarge(request, path);
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), MAX_BODY)
			.map((buffer) -> {
				try {
					return buffer.toString(StandardCharsets.UTF_8);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty("")
			.flatMap((body) -> handler.apply(account, body))
			.onErrorResume(DataBufferLimitException.class, (ex) -> tooLarge(request, path))
			.onErrorResume(IllegalArgumentException.class, (ex) -> refuse(request, path, HttpStatus.BAD_REQUEST, "BAD_REQUEST",
					"malformed", "The callback is malformed: " + ex.getMessage() + ".", ex.getMessage()));
	}

	/**
	 * The secrets the request's query gave: taken out of the URI before anything logged it
	 * ({@link WebhookSecretMask}) and handed over in an exchange attribute; read from the query only
	 * where no mask stands in front (a handler tested on its own).
	 */
	@SuppressWarnings("unchecked")
	private static List<String> secrets(ServerRequest request) {
		Object masked = request.attributes().get(WebhookSecretMask.ATTRIBUTE);
		if (masked instanceof List<?> secrets) {
			return (List<String>) secrets;
		}
		return request.queryParams().getOrDefault(WebhookSecretMask.PARAMETER, List.of());
	}

	/** A refusal after the request was authenticated, such as an export this account does not hold. */
	Mono<ServerResponse> refuse(ServerRequest request, String account, HttpStatus status, String code, String result,
			String message) {
		return refuse(request, WebhookLinks.PREFIX + account + "/" + this.kind, status, code, result, message, message);
	}

	/** A refusal after the request was authenticated that the sender should retry after {@code retryAfterSeconds}. */
	Mono<ServerResponse> refuse(ServerRequest request, String account, HttpStatus status, String code, String result,
			String message, long retryAfterSeconds) {
		return refuse(request, WebhookLinks.PREFIX + account + "/" + this.kind, status, code, result, message, message,
				retryAfterSeconds);
	}

	private Mono<ServerResponse> tooLarge(ServerRequest request, String path) {
		return refuse(request, path, HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "too-large",
				"A callback's body is at most " + MAX_BODY + " bytes.", null);
	}

	private Mono<ServerResponse> refuse(ServerRequest request, String path, HttpStatus status, String code, String result,
			String message, String detail) {
		return refuse(request, path, status, code, result, message, detail, 0);
	}

	private Mono<ServerResponse> refuse(ServerRequest request, String path, HttpStatus status, String code, String result,
			String message, String detail, long retryAfterSeconds) {
		String client = request.remoteAddress().map((address) -> (address.getAddress() != null) ? address.getAddress().getHostAddress() : address.getHostString()).orElse(null);
		this.audit.webhookRefused(path, client, result, detail);
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> {
				if (retryAfterSeconds > 0) {
					headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
				}
			})
			.bodyValue(Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code)))));
	}

	/**
	 * Exactly the accepted type (no wildcard such as {@code *}{@code /*} or {@code application/*}), in
	 * UTF-8 or with no charset: the body is read as UTF-8.
	 */
	private boolean acceptable(MediaType type) {
		if (type.isWildcardType() || type.isWildcardSubtype() || !this.accepted.equalsTypeAndSubtype(type)) {
			return false;
		}
		return type.getParameter("charset") == null || "utf-8".equalsIgnoreCase(type.getParameter("charset"));
	}

}
