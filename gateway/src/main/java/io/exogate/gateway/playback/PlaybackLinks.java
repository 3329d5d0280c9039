package io.exogate.gateway.playback;

import io.exogate.gateway.http.PublicBaseUrl;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingStatus;
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

	public PlaybackLinks(PlaybackTokens tokens, Environment environment) {
		this.tokens = tokens;
		this.environment = environment;
	}

	/** The playback URL of an available recording, {@code null} for any other. */
	public String url(String tenant, String account, Recording recording) {
		if (recording.status() != RecordingStatus.AVAILABLE) {
			return null;
		}
		return base() + PATH + "/"
				+ this.tokens.sign(tenant, account, recording.callSid(), recording.format(), recording.channel());
	}

	private String base() {
		return PublicBaseUrl.of(this.environment);
	}

}
