package io.exogate.model.recording;

/** Audio container of a recording. */
public enum RecordingFormat {

	/** MP3, Exotel's default. */
	MP3,

	/** Uncompressed PCM WAV. */
	WAV,

	/**
	 * Upstream named a format exogate does not know; the raw value is kept in
	 * {@link Recording#rawFormat()}. Never one to ask for.
	 */
	UNKNOWN

}
