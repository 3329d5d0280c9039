package io.exogate.gateway.security;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An http(s) URL taken apart into the pieces an allow-list compares: lower-case scheme, ASCII
 * host, port, normalised path and query.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host as sent on: an ASCII name in lower case without a trailing dot, a canonical
 * dotted quad, or a bracketed IPv6 literal
 * @param address the address when the host is an IP literal, else {@code null}
 * @param port the port written in the URL, or -1 when none was
 * @param path the normalised raw path, never empty
 * @param query the raw query, or {@code null}
 */
record CallbackUrl(String scheme, String host, InetAddress address, int port, String path, String query) {

	static final int MAX_LENGTH = 2048;

	private static final Pattern DECIMAL_OCTET = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]");

	private static final Pattern NUMBER = Pattern.compile("[0-9]+|0x[0-9a-f]*");

	private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

	private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

	/** Encoded dot, slash, backslash and percent: path tricks a server may decode after we compared. */
	private static final Pattern ENCODED_TRICK = Pattern.compile("%(2e|2f|5c|25)", Pattern.CASE_INSENSITIVE);

	/**
	 * The URL taken apart, or an {@link IllegalArgumentException} whose message (never quoting the
	 * text) completes "the URL …".
	 */
	static CallbackUrl parse(String text) {
		if (text.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
		}
		URI uri;
		try {
			uri = new URI(text);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("is not a valid URI (spaces, backslashes and other unsafe characters must be percent-encoded)");
		}
		if (uri.getScheme() == null || uri.isOpaque()) {
			throw new IllegalArgumentException("is not an absolute http or https URL");
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new IllegalArgumentException("must use http or https");
		}
		if (uri.getRawFragment() != null) {
			throw new IllegalArgumentException("must not have a fragment (#…)");
		}
		String authority = uri.getRawAuthority();
		if (authority == null || authority.isEmpty()) {
			throw new IllegalArgumentException("must name a host");
		}
		if (authority.indexOf('@') >= 0) {
			throw new IllegalArgumentException("must not carry user information (…@) before the host");
		}
		String hostText;
		String portText;
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			if (close < 0) {
				throw new IllegalArgumentException("must name a host");
			}
			hostText = authority.substring(0, close + 1);
			String rest = authority.substring(close + 1);
			if (!rest.isEmpty() && rest.charAt(0) != ':') {
				throw new IllegalArgumentException("must name a host");
			}
			portText = rest.isEmpty() ? null : rest.substring(1);
		}
		else {
			int colon = authority.lastIndexOf(':');
			hostText = (colon < 0) ? authority : authority.substring(0, colon);
			portText = (colon < 0) ? null : authority.substring(colon + 1);
		}
		int port = port(portText);
		String host;
		InetAddress address;
		if (hostText.startsWith("[")) {
			address = ipv6(hostText);
			host = hostText.toLowerCase(Locale.ROOT);
		}
		else {
			host = name(hostText);
			address = ipv4(host);
		}
		return new CallbackUrl(scheme, host, address, port, path(uri), uri.getRawQuery());
	}

	private static int port(String text) {
		if (text == null) {
			return -1;
		}
		if (!PORT.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
			throw new IllegalArgumentException("must have a port between 1 and 65535, or none");
		}
		return Integer.parseInt(text);
	}

	/** A bracketed IPv6 literal read without DNS. */
	private static InetAddress ipv6(String bracketed) {
		String inside = bracketed.substring(1, bracketed.length() - 1).toLowerCase(Locale.ROOT);
		if (!IPV6.matcher(inside).matches()) {
			throw new IllegalArgumentException("has an IPv6 host with a zone or other decoration: write the bare address");
		}
		int dot = inside.indexOf('.');
		if (dot >= 0 && !canonicalIpv4(inside.substring(inside.lastIndexOf(':') + 1))) {
			throw new IllegalArgumentException("has an IPv6 host whose embedded IPv4 part is not a canonical dotted quad");
		}
		try {
			// A bracketed literal is parsed, never looked up.
			return InetAddress.getByName(bracketed);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("has an invalid IPv6 host");
		}
	}

	/**
	 * The host name in ASCII, lower case, without its trailing dot; anything whose last label is a
	 * number must be a canonical dotted quad, since resolvers read {@code 2130706433},
	 * {@code 0x7f000001}, {@code 0177.0.0.1} and {@code 127.1} as addresses.
	 */
	private static String name(String text) {
		if (text.isEmpty()) {
			throw new IllegalArgumentException("must name a host");
		}
		String ascii;
		try {
			ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("has a host that is not a valid host name");
		}
		if (ascii.endsWith(".")) {
			ascii = ascii.substring(0, ascii.length() - 1);
		}
		if (ascii.isEmpty() || ascii.length() > 253) {
			throw new IllegalArgumentException("has a host that is not a valid host name");
		}
		String[] labels = ascii.split("\\.", -1);
		if (NUMBER.matcher(labels[labels.length - 1]).matches()) {
			if (!canonicalIpv4(ascii)) {
				throw new IllegalArgumentException("has a numeric host that is not a canonical address: write an IPv4 address as four decimal numbers 0-255 without leading zeros, or use a host name");
			}
			return ascii;
		}
		for (String label : labels) {
			if (!LABEL.matcher(label).matches()) {
				throw new IllegalArgumentException("has a host that is not a valid host name (letters, digits and inner hyphens only)");
			}
		}
		return ascii;
	}

	private static boolean canonicalIpv4(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return false;
		}
		for (String part : parts) {
			if (!DECIMAL_OCTET.matcher(part).matches()) {
				return false;
			}
		}
		return true;
	}

	/** The address of a canonical dotted quad, else {@code null}; never a lookup. */
	private static InetAddress ipv4(String host) {
		if (!canonicalIpv4(host)) {
			return null;
		}
		String[] parts = host.split("\\.");
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			bytes[i] = (byte) Integer.parseInt(parts[i]);
		}
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The normalised raw path; refuses what a server could still read as climbing out of it. */
	private static String path(URI uri) {
		String raw = uri.getRawPath();
		if (ENCODED_TRICK.matcher(raw).find()) {
			throw new IllegalArgumentException("must not percent-encode dots, slashes, backslashes or percent signs in its path");
		}
		for (String segment : raw.split("/", -1)) {
			int semicolon = segment.indexOf(';');
			String bare = (semicolon < 0) ? segment : segment.substring(0, semicolon);
			if (semicolon >= 0 && (bare.equals(".") || bare.equals(".."))) {
				throw new IllegalArgumentException("must not have dot segments with parameters (..;) in its path");
			}
		}
		String normalised = uri.normalize().getRawPath();
		for (String segment : normalised.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				throw new IllegalArgumentException("has a path that climbs above the root (..)");
			}
		}
		return normalised.isEmpty() ? "/" : normalised;
	}

	int effectivePort() {
		if (this.port != -1) {
			return this.port;
		}
		return this.scheme.equals("https") ? 443 : 80;
	}

	/** Whether this URL lies under the prefix: same scheme, host and port, path at a segment boundary. */
	boolean isUnder(CallbackUrl prefix) {
		if (!this.scheme.equals(prefix.scheme) || effectivePort() != prefix.effectivePort() || !sameHost(prefix)) {
			return false;
		}
		String base = prefix.path.endsWith("/") ? prefix.path.substring(0, prefix.path.length() - 1) : prefix.path;
		return base.isEmpty() || this.path.equals(base) || this.path.startsWith(base + "/");
	}

	private boolean sameHost(CallbackUrl other) {
		if (this.address != null || other.address != null) {
			return this.address != null && this.address.equals(other.address);
		}
		return this.host.equals(other.host);
	}

	/** The URL as checked: what is handed on is exactly what was compared. */
	URI toUri() {
		StringBuilder out = new StringBuilder(this.scheme).append("://").append(this.host);
		if (this.port != -1) {
			out.append(':').append(this.port);
		}
		out.append(this.path);
		if (this.query != null) {
			out.append('?').append(this.query);
		}
		return URI.create(out.toString());
	}

}
