package io.exogate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** What every handler shares: settings, data, the URL signer, the runtime knobs and the public base URL. */
final class SandboxContext {

	final SandboxSettings settings;

	final CallStore store;

	final UrlSigner signer;

	final AtomicReference<Duration> signedUrlLifetime;

	final AtomicReference<Duration> processingDelay;

	final AtomicInteger rateLimitPerMinute;

	final Faults faults = new Faults();

	private volatile String baseUrl = "";

	SandboxContext(SandboxSettings settings) {
		this.settings = settings;
		this.store = new CallStore(settings);
		this.signer = new UrlSigner(settings.signingKey());
		this.signedUrlLifetime = new AtomicReference<>(settings.signedUrlLifetime());
		this.processingDelay = new AtomicReference<>(settings.processingDelay());
		this.rateLimitPerMinute = new AtomicInteger(settings.rateLimitPerMinute());
	}

	Instant now() {
		return this.settings.clock().instant();
	}

	void baseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	String baseUrl() {
		return this.baseUrl;
	}

	SandboxCall.CallPhase phase(SandboxCall call, Instant now) {
		return call.phase(now, this.settings.wrapUp());
	}

	String recordingState(SandboxCall call, Instant now) {
		return call.recordingState(now, this.processingDelay.get());
	}

	/** The private recording URL (single-channel MP3), playable only with the account's API key and token. */
	String privateRecordingUrl(SandboxCall call) {
		return privateRecordingUrl(call, "mp3", "single");
	}

	/**
	 * The private, unsigned URL of one format and channel layout ({@code <sid>.mp3}, {@code <sid>_dual.wav}, ...),
	 * playable only with the account's API key and token.
	 */
	String privateRecordingUrl(SandboxCall call, String format, String channel) {
		return mediaBase() + "/exotelrecordings/" + call.accountSid() + "/" + call.sid() + ("dual".equals(channel) ? "_dual" : "")
				+ "." + format;
	}

	/** A signed media URL for one format and channel layout, valid until {@code expiresAt}. */
	String signedMediaUrl(SandboxCall call, String format, String channel, Instant expiresAt) {
		String path = "/media/" + call.accountSid() + "/" + call.sid() + "." + format;
		return mediaBase() + path + "?" + this.signer.sign(path, channel, expiresAt);
	}

	/** The URL v3 voice-logs hand out: private and unsigned when the settings say so, else signed until {@code expiresAt}. */
	String voiceLogUrl(SandboxCall call, String format, String channel, Instant expiresAt) {
		return this.settings.privateRecordingUrls() ? privateRecordingUrl(call, format, channel)
				: signedMediaUrl(call, format, channel, expiresAt);
	}

	private String mediaBase() {
		if (this.settings.mediaBaseUrl() == null) {
			return this.baseUrl;
		}
		String base = this.settings.mediaBaseUrl().toString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/** When a URL issued now expires, to the second. */
	Instant signedUrlExpiry(Instant now) {
		return now.plus(this.signedUrlLifetime.get()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
	}

}
