package io.exogate.model.call;

/** A generation of Exotel's call APIs that can contribute data to a {@link Call}. */
public enum ApiVersion {

	/** v1 Calls: IST timestamps, cursor pages, legs with {@code details=true}. */
	V1,

	/** v3 call details and voice-log downloads: signed recording URLs, app and digits. */
	V3,

	/** v4 contact-center voicelogs: agents, customers, dispositions and timelines. */
	V4

}
