package io.exogate.model.recording;

/** Channel layout of a recording. */
public enum RecordingChannel {

	/** Both parties mixed into one channel. */
	SINGLE,

	/** Stereo: agent (first party) left, customer right. */
	DUAL,

	/**
	 * Upstream named a channel layout exogate does not know; the raw value is kept in
	 * {@link Recording#rawChannel()}. Never one to ask for.
	 */
	UNKNOWN

}
