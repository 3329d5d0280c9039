package io.exogate.gateway.playback;

import io.exogate.gateway.http.PublicBaseUrl;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingStatus;
import java.time.Instant;
import org.springframework.core.env.Environment;

/**
 * Builds {@code Recording.playbackUrl}: {@code <base>/playback/<token>}, the base being
 * {@code exogate.public-base-url} or, when that is unset, the gateway's own
 * {@code http://<server.address or 127.0.0.1>:<port>}. Never the request's {@code Host} header.
 */
public final class PlaybackLinks {

	/** The path playback is served under. */
	public static final String PATH = "/playback";

	private final PlaybackTokens tokens;

	private final Environment environment;

	private volatile String base;

	public PlaybackLinks(PlaybackTokens tokens, Environment environment) {
		this.tokens = tokens;
		this.environment = environment;
	}

	/** The playback URL of an available recording, {@code null} for any other. */
	public String url(String tenant, String account, Recording recording) {
		Link link = link(tenant, account, recording);
		return (link != null) ? link.url() : null;
	}

	/** The playback link of an available recording and when it expires, {@code null} for any other. */
	public Link link(String tenant, String account, Recording recording) {
		if (recording.status() != RecordingStatus.AVAILABLE) {
			return null;
		}
		PlaybackTokens.Signed signed = this.tokens.signed(tenant, account, recording.callSid(), recording.format(),
				recording.channel());
		return new Link(base() + PATH + "/" + signed.token(), signed.expiresAt());
	}

	private String base() {
		String known = this.base;
		if (known != null) {
			return known;
		}
		String base = PublicBaseUrl.of(this.environment);
		// Kept once it can no longer change: configured, or the port the server listens on is known.
		String configured = this.environment.getProperty(PublicBaseUrl.PROPERTY);
		if ((configured != null && !configured.isBlank()) || this.environment.containsProperty("local.server.port")) {
			this.base = base;
		}
		return base;
	}

	/** A playback URL and the instant its token expires. */
	public record Link(String url, Instant expiresAt) {
	}

}
