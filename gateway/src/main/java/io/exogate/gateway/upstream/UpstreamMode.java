package io.exogate.gateway.upstream;

import java.util.Locale;

/** Which Exotel the gateway talks to, decided once at start by {@link DemoMode}. */
public enum UpstreamMode {

	/** Exotel itself, with the accounts the adapters bound. */
	EXOTEL,

	/** The embedded sandbox and its demo account: generated data, not Exotel's. */
	DEMO;

	/** As health details show it: {@code exotel} or {@code demo}. */
	public String detail() {
		return name().toLowerCase(Locale.ROOT);
	}

}
