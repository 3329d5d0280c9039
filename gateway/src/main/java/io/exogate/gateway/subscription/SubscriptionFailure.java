package io.exogate.gateway.subscription;

/**
 * Why a subscription ended, or was refused, with the code its GraphQL error carries:
 * {@code RECORDING_NOT_AVAILABLE}, {@code RECORDING_WAIT_EXCEEDED} or {@code TOO_MANY_SUBSCRIPTIONS}.
 */
public final class SubscriptionFailure extends RuntimeException {

	/** The call ended without a recording in the asked format and channel. */
	public static final String NOT_AVAILABLE = "RECORDING_NOT_AVAILABLE";

	/** The recording did not become available within {@code exogate.subscriptions.recording-max-wait}. */
	public static final String WAIT_EXCEEDED = "RECORDING_WAIT_EXCEEDED";

	/** A connection or tenant already holds as many subscriptions as it may. */
	public static final String TOO_MANY = "TOO_MANY_SUBSCRIPTIONS";

	private final String code;

	public SubscriptionFailure(String code, String message) {
		super(message, null, false, false);
		this.code = code;
	}

	/** The GraphQL error's {@code extensions.code}. */
	public String code() {
		return this.code;
	}

}
