package io.exogate.gateway.http;

import org.springframework.core.env.Environment;

/**
 * The gateway's public address, which links it hands out are built on: {@code exogate.public-base-url}
 * or, when that is unset, its own {@code http://<server.address or 127.0.0.1>:<port>}. Never the
 * request's {@code Host} header.
 */
public final class PublicBaseUrl {

	/** The property naming the public address. */
	public static final String PROPERTY = "exogate.public-base-url";

	private PublicBaseUrl() {
	}

	/** The base, without a trailing slash. */
	public static String of(Environment environment) {
		String configured = environment.getProperty(PROPERTY);
		if (configured != null && !configured.isBlank()) {
			return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
		}
		String address = environment.getProperty("server.address", "127.0.0.1");
		if (address.contains(":") && !address.startsWith("[")) {
			address = "[" + address + "]";
		}
		return "http://" + address + ":" + environment.getProperty("local.server.port",
				environment.getProperty("server.port", "8080"));
	}

}
