package io.exogate.model.recording;

/** Channel layout of a recording. */
public enum RecordingChannel {

	/** Both parties mixed into one channel. */
	SINGLE,

	/** Stereo: agent (first party) left, customer right. */
	DUAL

}
