package io.exogate.gateway.playback;

import io.exogate.gateway.playback.PlaybackTokenException.Kind;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies playback tokens: {@code base64url(payload) "." base64url(HMAC-SHA256(payload))},
 * the payload being {@code v1}, tenant, account, call SID, format, channel and expiry (epoch seconds),
 * separated by line feeds. The first key signs; every key verifies, so keys rotate by putting the new
 * one first and dropping the old one once its tokens have expired. The MAC is compared in constant time.
 */
public final class PlaybackTokens {

	/** The fewest bytes a signing key may have. */
	public static final int MIN_KEY_BYTES = 32;

	/** The longest token accepted; anything longer is malformed without further work. */
	static final int MAX_TOKEN_CHARS = 2048;

	private static final String VERSION = "v1";

	private static final String ALGORITHM = "HmacSHA256";

	private static final int MAC_BYTES = 32;

	private final List<byte[]> keys;

	private final Duration lifetime;

	private final Clock clock;

	public PlaybackTokens(List<byte[]> keys, Duration lifetime, Clock clock) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("Playback tokens need at least one signing key");
		}
		for (byte[] key : keys) {
			if (key.length < MIN_KEY_BYTES) {
				throw new IllegalArgumentException("A playback signing key must have at least " + MIN_KEY_BYTES + " bytes, one has "
						+ key.length);
			}
		}
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("A playback token's lifetime must be positive");
		}
		this.keys = keys.stream().map(byte[]::clone).toList();
		this.lifetime = lifetime;
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/** How long a token lives. */
	public Duration lifetime() {
		return this.lifetime;
	}

	/** A token for this recording variant, valid for the configured lifetime from now. */
	public String sign(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		return signed(tenant, account, callSid, format, channel).token();
	}

	/** A token for this recording variant, valid for the configured lifetime from now, and when it expires. */
	public Signed signed(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel) {
		long expiresAt = this.clock.instant().plus(this.lifetime).getEpochSecond();
		String payload = String.join("\n", VERSION, field(tenant), field(account), field(callSid), format.name(), channel.name(),
				Long.toString(expiresAt));
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return new Signed(encoder.encodeToString(bytes) + "." + encoder.encodeToString(mac(this.keys.get(0), bytes)),
				Instant.ofEpochSecond(expiresAt));
	}

	/** A token and the instant it stops being accepted. */
	public record Signed(String token, Instant expiresAt) {
	}

	/**
	 * The grant a token carries; a {@link PlaybackTokenException} when it is malformed, signed by no
	 * key of ours, or expired.
	 */
	public PlaybackToken verify(String token) {
		if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
			throw malformed();
		}
		int dot = token.indexOf('.');
		if (dot <= 0 || dot != token.lastIndexOf('.')) {
			throw malformed();
		}
		byte[] payload;
		byte[] mac;
		try {
			Base64.Decoder decoder = Base64.getUrlDecoder();
			payload = decoder.decode(token.substring(0, dot));
			mac = decoder.decode(token.substring(dot + 1));
		}
		catch (IllegalArgumentException ex) {
			throw malformed();
		}
		if (mac.length != MAC_BYTES) {
			throw malformed();
		}
		// One spelling per token: Base64's spare bits or padding would otherwise give a token other
		// names, each with its own share of the per-link stream cap.
		Base64.Encoder canonical = Base64.getUrlEncoder().withoutPadding();
		if (!canonical.encodeToString(payload).equals(token.substring(0, dot))
				|| !canonical.encodeToString(mac).equals(token.substring(dot + 1))) {
			throw malformed();
		}
		boolean signed = false;
		for (byte[] key : this.keys) {
			// Every key is tried, whichever matches, so the time taken does not tell which key signed.
			signed |= MessageDigest.isEqual(mac(key, payload), mac);
		}
		if (!signed) {
			throw new PlaybackTokenException(Kind.FORGED, "The playback link was not issued by this gateway.");
		}
		PlaybackToken grant = parse(new String(payload, StandardCharsets.UTF_8));
		if (!this.clock.instant().isBefore(grant.expiresAt())) {
			throw new PlaybackTokenException(Kind.EXPIRED,
					"The playback link has expired: ask for the recording again for a fresh playbackUrl.");
		}
		return grant;
	}

	private static PlaybackToken parse(String payload) {
		String[] parts = payload.split("\n", -1);
		if (parts.length != 7 || !VERSION.equals(parts[0])) {
			throw malformed();
		}
		try {
			return new PlaybackToken(parts[1], parts[2], parts[3], RecordingFormat.valueOf(parts[4]),
					RecordingChannel.valueOf(parts[5]), Instant.ofEpochSecond(Long.parseLong(parts[6])));
		}
		catch (IllegalArgumentException ex) {
			throw malformed();
		}
	}

	private static String field(String value) {
		if (value == null || value.isEmpty() || value.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("A playback token field must be non-empty and on one line");
		}
		return value;
	}

	private static byte[] mac(byte[] key, byte[] payload) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(new SecretKeySpec(key, ALGORITHM));
			return mac.doFinal(payload);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	private static PlaybackTokenException malformed() {
		return new PlaybackTokenException(Kind.MALFORMED, "The playback link is not a valid playback link.");
	}

}
