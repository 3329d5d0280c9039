package io.exogate.model.recording;

/** Progress of a recording export. */
public enum ExportStatus {

	/** Accepted; Exotel is collecting the recordings. */
	PROCESSING,

	/** The archive is ready; its link was sent to the callback URL. */
	READY,

	/** The export could not be produced. */
	FAILED

}
