package io.exogate.sandbox;

import java.time.Instant;
import java.util.regex.MatchResult;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The media URLs: private recordings behind Basic auth, signed recordings and exports until they expire. */
final class MediaApi {

	private final SandboxContext context;

	private final Credentials credentials;

	private final Exports exports;

	private final Stats stats;

	MediaApi(SandboxContext context, Credentials credentials, Exports exports, Stats stats) {
		this.context = context;
		this.credentials = credentials;
		this.exports = exports;
		this.stats = stats;
	}

	/**
	 * {@code GET} or {@code HEAD} of a private recording URL: account SID, call SID, {@code _dual} or nothing, and the
	 * format in the path's groups. Without the account's API key and token it answers 401, whatever else the request carries.
	 */
	Mono<SandboxResponse> privateRecording(SandboxRequest request, MatchResult path) {
		return Mono.fromSupplier(() -> {
			this.stats.increment("media");
			Instant now = this.context.now();
			if (this.credentials.authenticate(Dialect.V1, path.group(1), request) == null) {
				return s3Error(401, "Unauthorized", "Recording URLs require the account's API key and token.")
					.withHeader("www-authenticate", "Basic realm=\"Exotel\"");
			}
			return playable(request, path.group(1), path.group(2), path.group(4), (path.group(3) != null) ? "dual" : "single", now);
		});
	}

	/** {@code GET} or {@code HEAD} of a signed recording URL: account SID, call SID and format in the path's groups. */
	Mono<SandboxResponse> signedRecording(SandboxRequest request, MatchResult path) {
		return Mono.fromSupplier(() -> {
			this.stats.increment("media");
			Instant now = this.context.now();
			SandboxResponse refused = checkSignature(request, now);
			if (refused != null) {
				return refused;
			}
			return playable(request, path.group(1), path.group(2), path.group(3), request.param("channel"), now);
		});
	}

	/** {@code GET} or {@code HEAD} of a signed export URL: account SID and export id in the path's groups. */
	Mono<SandboxResponse> exportArchive(SandboxRequest request, MatchResult path) {
		return Mono.fromSupplier(() -> {
			this.stats.increment("media");
			SandboxResponse refused = checkSignature(request, this.context.now());
			if (refused != null) {
				return refused;
			}
			Exports.Export export = this.exports.find(path.group(1), path.group(2));
			if (export == null) {
				return s3Error(404, "NoSuchKey", "The specified key does not exist.");
			}
			return Media.serveBytes(request, this.exports.archive(export), "application/zip");
		})
			// The archive is built in memory: not on an event-loop thread.
			.subscribeOn(Schedulers.boundedElastic());
	}

	/** Any other method on a media path. */
	Mono<SandboxResponse> notAllowed(SandboxRequest request) {
		return Mono.fromSupplier(() -> {
			this.stats.increment("media");
			return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
		});
	}

	/** The refusal of a missing, tampered with or expired signature, or {@code null} when it holds. */
	private SandboxResponse checkSignature(SandboxRequest request, Instant now) {
		String channel = request.param("channel");
		String expires = request.param("expires");
		String signature = request.param("signature");
		long expiresAt;
		try {
			expiresAt = Long.parseLong(expires);
		}
		catch (NumberFormatException ex) {
			return s3Error(403, "AccessDenied", "Request is missing a valid signature.");
		}
		if (channel == null || !this.context.signer.verify(request.path(), channel, expiresAt, signature)) {
			return s3Error(403, "AccessDenied", "The request signature does not match.");
		}
		if (now.getEpochSecond() >= expiresAt) {
			return s3Error(403, "AccessDenied", "Request has expired.");
		}
		return null;
	}

	private SandboxResponse playable(SandboxRequest request, String accountSid, String callSid, String format,
			String channel, Instant now) {
		SandboxCall call = (this.context.settings.account(accountSid) != null)
				? this.context.store.find(accountSid, callSid, now) : null;
		if (call == null || !"available".equals(this.context.recordingState(call, now))) {
			return s3Error(404, "NoSuchKey", "The specified key does not exist.");
		}
		return Media.serve(request, call, format, channel);
	}

	private static SandboxResponse s3Error(int status, String code, String message) {
		return SandboxResponse.xml(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
				+ "</Code><Message>" + message + "</Message></Error>\n");
	}

}
