package io.exogate.model.recording;

/** Audio container of a recording. */
public enum RecordingFormat {

	/** MP3, Exotel's default. */
	MP3,

	/** Uncompressed PCM WAV. */
	WAV

}
