package io.exogate.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and checks media URLs: an HMAC-SHA256 over the path, the variant and the expiry. */
final class UrlSigner {

	private final SecretKeySpec key;

	UrlSigner(String signingKey) {
		this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	/** The query string that makes {@code path} playable until {@code expiresAt}. */
	String sign(String path, String channel, Instant expiresAt) {
		long expires = expiresAt.getEpochSecond();
		return "channel=" + channel + "&expires=" + expires + "&signature=" + signature(path, channel, expires);
	}

	/** Whether the signature matches; expiry is checked by the caller. */
	boolean verify(String path, String channel, long expires, String signature) {
		if (signature == null) {
			return false;
		}
		byte[] expected = signature(path, channel, expires).getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String signature(String path, String channel, long expires) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			byte[] digest = mac.doFinal((path + "\n" + channel + "\n" + expires).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

}
