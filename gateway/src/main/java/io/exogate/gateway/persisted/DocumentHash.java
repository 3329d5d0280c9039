package io.exogate.gateway.persisted;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The SHA-256 of a GraphQL document as 64 lowercase hexadecimal digits, the name persisted operations go by. */
final class DocumentHash {

	private static final String PREFIX = "sha256:";

	private DocumentHash() {
	}

	/** The hash of the document's UTF-8 bytes. */
	static String of(String document) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(document.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/** The hash in lowercase, or {@code null} when {@code text} is not 64 hexadecimal digits. */
	static String parse(String text) {
		if (text == null || text.length() != 64) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			if (Character.digit(text.charAt(i), 16) < 0) {
				return null;
			}
		}
		return text.toLowerCase(Locale.ROOT);
	}

	/** Like {@link #parse}, also taking the {@code sha256:} prefix of a document id. */
	static String parseId(String text) {
		return (text != null && text.startsWith(PREFIX)) ? parse(text.substring(PREFIX.length())) : parse(text);
	}

}
