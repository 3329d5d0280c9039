package io.exogate.model.call;

/** Order of a call search, by creation time. */
public enum CallSort {

	/** Most recent first (Exotel's default). */
	NEWEST_FIRST,

	/** Oldest first. */
	OLDEST_FIRST

}
