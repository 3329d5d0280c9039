package io.exogate.exotel;

import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.RateLimitedException;
import io.exogate.model.error.UnauthorizedException;
import io.exogate.model.error.UpstreamUnavailableException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns an Exotel error answer into the typed errors of the model. Reads v1's {@code RestException}
 * and the ccm {@code error_data} envelopes; a body that is not JSON (an HTML 5xx page) is ignored.
 * Messages carry Exotel's own words and the status, never credentials or URLs.
 */
public final class UpstreamErrors {

	private static final Pattern TRY_AGAIN = Pattern.compile("(?i)try again in (\\d{1,5}) seconds?");

	private static final int MAX_MESSAGE = 300;

	private UpstreamErrors() {
	}

	/** The error for an answer with status {@code status}. */
	public static ExogateException map(String version, int status, String retryAfterHeader, String body) {
		String vendorMessage = vendorMessage(body);
		String detail = (vendorMessage != null) ? ": " + vendorMessage : "";
		if (status == 429) {
			return new RateLimitedException("Exotel " + version + " rate limit reached" + detail, retryAfter(retryAfterHeader, vendorMessage));
		}
		if (status == 400 || status == 422) {
			return new BadRequestException("Exotel " + version + " refused the request" + detail);
		}
		if (status == 401 || status == 403) {
			// Without Exotel's words: the client cannot act on them, and they may name the account's setup.
			return new UnauthorizedException("Exotel " + version + " refused the configured credentials (" + status + ")");
		}
		if (status == 404) {
			return new NotFoundException("Exotel " + version + " has no such resource" + detail);
		}
		if (status >= 400 && status < 500 && status != 408) {
			// The request itself was refused (414 URI too long, 413, 405, ...): the caller's to change, not an outage.
			return new BadRequestException("Exotel " + version + " refused the request (" + status + ")" + detail);
		}
		return new UpstreamUnavailableException("Exotel " + version + " answered " + status + detail);
	}

	/** Whether a failure is worth another attempt of an idempotent request. */
	public static boolean isRetryable(Throwable error) {
		return error instanceof RateLimitedException || error instanceof UpstreamUnavailableException;
	}

	static Duration retryAfter(String header, String message) {
		if (header != null) {
			try {
				return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
			}
			catch (NumberFormatException ex) {
				// an HTTP date or garbage: fall through
			}
		}
		if (message != null) {
			Matcher matcher = TRY_AGAIN.matcher(message);
			if (matcher.find()) {
				return Duration.ofSeconds(Long.parseLong(matcher.group(1)));
			}
		}
		return Duration.ofSeconds(1);
	}

	private static String vendorMessage(String body) {
		if (body == null || body.isBlank() || !body.trim().startsWith("{")) {
			return null;
		}
		try {
			JsonNode root = WireJson.read(body);
			String message = text(root.at("/RestException/Message"));
			if (message == null) {
				message = text(root.at("/response/error_data/description"));
			}
			if (message == null) {
				message = text(root.at("/response/error_data/message"));
			}
			if (message == null) {
				message = text(root.get("message"));
			}
			if (message == null) {
				return null;
			}
			String clean = message.replaceAll("\\p{Cntrl}", " ");
			return (clean.length() > MAX_MESSAGE) ? clean.substring(0, MAX_MESSAGE) + "..." : clean;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static String text(JsonNode node) {
		return (node != null && node.isString() && !node.asString().isBlank()) ? node.asString() : null;
	}

}
