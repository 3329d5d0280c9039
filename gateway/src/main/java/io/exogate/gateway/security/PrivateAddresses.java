package io.exogate.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** The addresses and host names that reach a private network rather than the public internet. */
final class PrivateAddresses {

	private static final List<Block> IPV4 = List.of(
			Block.of("0.0.0.0", 8, "an unspecified (0.0.0.0/8) address"),
			Block.of("10.0.0.0", 8, "a private (RFC 1918) address"),
			Block.of("100.64.0.0", 10, "a carrier-grade NAT (100.64.0.0/10) address"),
			Block.of("127.0.0.0", 8, "a loopback address"),
			Block.of("169.254.0.0", 16, "a link-local or cloud metadata (169.254.0.0/16) address"),
			Block.of("172.16.0.0", 12, "a private (RFC 1918) address"),
			Block.of("192.0.0.0", 24, "an IETF protocol (192.0.0.0/24) address"),
			Block.of("192.168.0.0", 16, "a private (RFC 1918) address"),
			Block.of("198.18.0.0", 15, "a benchmarking (198.18.0.0/15) address"),
			Block.of("224.0.0.0", 4, "a multicast address"),
			Block.of("240.0.0.0", 4, "a reserved or broadcast (240.0.0.0/4) address"));

	private static final List<Block> IPV6 = List.of(
			Block.of("[::1]", 128, "a loopback address"),
			Block.of("[::]", 128, "an unspecified address"),
			Block.of("[::]", 96, "an IPv4-compatible IPv6 address"),
			Block.of("[::ffff:0:0:0]", 96, "an IPv4-translated (::ffff:0:0:0/96) address"),
			Block.of("[2001::]", 32, "a Teredo (2001::/32) address, which tunnels to an IPv4 address it does not show plainly"),
			Block.of("[2001:db8::]", 32, "a documentation (2001:db8::/32) address"),
			Block.of("[64:ff9b:1::]", 48, "a local-use NAT64 (64:ff9b:1::/48) address"),
			Block.of("[100::]", 64, "a discard-only (100::/64) address"),
			Block.of("[fc00::]", 7, "a unique local (fc00::/7) address"),
			Block.of("[fe80::]", 10, "a link-local (fe80::/10) address"),
			Block.of("[fec0::]", 10, "a site-local (fec0::/10) address"),
			Block.of("[ff00::]", 8, "a multicast address"));

	private static final byte[] IPV4_MAPPED = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff };

	private static final byte[] NAT64 = { 0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

	private PrivateAddresses() {
	}

	/** What makes the address private, or {@code null} when it is public. */
	static String refused(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length == 4) {
			return refused(IPV4, bytes);
		}
		if (startsWith(bytes, IPV4_MAPPED)) {
			return embedded("an IPv4-mapped ", bytes, 12);
		}
		if (startsWith(bytes, NAT64)) {
			return embedded("a NAT64 ", bytes, 12);
		}
		if ((bytes[0] & 0xff) == 0x20 && bytes[1] == 0x02) {
			return embedded("a 6to4 ", bytes, 2);
		}
		return refused(IPV6, bytes);
	}

	/** What makes the host name private, or {@code null} when it may be public. */
	static String refused(String name) {
		if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".localdomain")) {
			return "a loopback host name";
		}
		if (name.endsWith(".local") || name.endsWith(".internal") || name.endsWith(".home.arpa")) {
			return "a host name reserved for private networks";
		}
		if (name.indexOf('.') < 0) {
			return "a single-label host name, which resolves within a private network";
		}
		return null;
	}

	private static String embedded(String kind, byte[] bytes, int from) {
		String inner = refused(IPV4, Arrays.copyOfRange(bytes, from, from + 4));
		return (inner != null) ? kind + "form of " + inner : null;
	}

	private static String refused(List<Block> blocks, byte[] bytes) {
		for (Block block : blocks) {
			if (block.contains(bytes)) {
				return block.what();
			}
		}
		return null;
	}

	private static boolean startsWith(byte[] bytes, byte[] prefix) {
		return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
	}

	/** A CIDR block: the leading {@code bits} of {@code prefix}. */
	private record Block(byte[] prefix, int bits, String what) {

		/** The block of a literal address (read, never looked up) and a prefix length. */
		static Block of(String literal, int bits, String what) {
			try {
				return new Block(InetAddress.getByName(literal).getAddress(), bits, what);
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(literal, ex);
			}
		}

		boolean contains(byte[] address) {
			if (address.length != this.prefix.length) {
				return false;
			}
			int whole = this.bits / 8;
			if (!Arrays.equals(address, 0, whole, this.prefix, 0, whole)) {
				return false;
			}
			int rest = this.bits % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[whole] & mask) == (this.prefix[whole] & mask);
		}

	}

}
