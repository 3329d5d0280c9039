package io.exogate.exotel;

import java.net.URI;

/** An Exotel data centre, which picks the documented base URLs. */
public enum Region {

	/** Singapore: {@code api.exotel.com} and {@code ccm-api.exotel.com}. */
	SINGAPORE("https://api.exotel.com", "https://ccm-api.exotel.com"),

	/** Mumbai: {@code api.in.exotel.com} and {@code ccm-api.in.exotel.com}. */
	MUMBAI("https://api.in.exotel.com", "https://ccm-api.in.exotel.com");

	private final URI v1;

	private final URI ccm;

	Region(String v1, String ccm) {
		this.v1 = URI.create(v1);
		this.ccm = URI.create(ccm);
	}

	/** Base URL of the v1 API. */
	public URI v1() {
		return this.v1;
	}

	/** Base URL of the v2/v3/v4 (ccm) APIs. */
	public URI ccm() {
		return this.ccm;
	}

}
