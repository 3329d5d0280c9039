package io.exogate.model.recording;

/** Whether a call's recording can be played now. */
public enum RecordingStatus {

	/** Ready: a signed URL is attached. */
	AVAILABLE,

	/** The call ended recently; Exotel is still processing the audio (typically 1 to 15 minutes). */
	PROCESSING,

	/** The call has no recording (not recorded, not answered, or deleted after retention). */
	NOT_AVAILABLE,

	/** The recording's URL expired; ask again for a fresh one. */
	EXPIRED

}
