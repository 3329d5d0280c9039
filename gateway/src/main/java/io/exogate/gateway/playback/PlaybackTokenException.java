package io.exogate.gateway.playback;

/** Why a playback token was not accepted: it is not one, it was not signed by this gateway, or it has expired. */
public final class PlaybackTokenException extends RuntimeException {

	/** The kinds of refusal, each answered with its own status and message. */
	public enum Kind {

		/** Not a token at all: answered 400. */
		MALFORMED,

		/** Not signed by any of the gateway's keys: answered 401. */
		FORGED,

		/** Signed, but past its expiry: answered 401 with a message of its own. */
		EXPIRED

	}

	private final Kind kind;

	PlaybackTokenException(Kind kind, String message) {
		super(message, null, false, false);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

}
