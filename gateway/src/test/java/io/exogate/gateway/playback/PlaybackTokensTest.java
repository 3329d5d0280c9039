package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.exogate.gateway.playback.PlaybackTokenException.Kind;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybackTokensTest {

	static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	static final byte[] KEY_A = key('a');

	static final byte[] KEY_B = key('b');

	final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	final PlaybackTokens tokens = new PlaybackTokens(List.of(KEY_A), Duration.ofMinutes(15), this.clock);

	@Test
	void aTokenCarriesItsGrantBack() {
		String token = this.tokens.sign("alpha", "exogate-demo", "call-1", RecordingFormat.WAV, RecordingChannel.DUAL);
		assertThat(this.tokens.verify(token)).isEqualTo(new PlaybackToken("alpha", "exogate-demo", "call-1", RecordingFormat.WAV,
				RecordingChannel.DUAL, NOW.plus(Duration.ofMinutes(15))));
	}

	@Test
	void aTokenIsUrlSafeAndCarriesNoSecret() {
		String token = this.tokens.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
		String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
		assertThat(payload).doesNotContain("http").doesNotContain(new String(KEY_A, StandardCharsets.UTF_8));
	}

	@Test
	void aChangedPayloadIsForged() {
		String token = this.tokens.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		String other = this.tokens.sign("beta", "exogate-demo-2", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		String spliced = other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));
		assertThatExceptionOfType(PlaybackTokenException.class).isThrownBy(() -> this.tokens.verify(spliced))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.FORGED));
	}

	@Test
	void aTokenHasOneSpellingOnly() {
		String token = this.tokens.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		String mac = token.substring(token.indexOf('.') + 1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int accepted = 0;
		for (char last : alphabet.toCharArray()) {
			for (String padding : new String[] { "", "=" }) {
				String spelling = token.substring(0, token.length() - 1) + last + padding;
				try {
					this.tokens.verify(spelling);
					accepted++;
					assertThat(spelling).as("the only spelling that plays").isEqualTo(token);
				}
				catch (PlaybackTokenException ex) {
					// Another spelling of the same MAC (its spare bits or padding) is refused too.
				}
			}
		}
		assertThat(accepted).isEqualTo(1);
		assertThat(mac).hasSize(43);
	}

	@Test
	void anotherKeysTokenIsForged() {
		PlaybackTokens other = new PlaybackTokens(List.of(KEY_B), Duration.ofMinutes(15), this.clock);
		String token = other.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		assertThatExceptionOfType(PlaybackTokenException.class).isThrownBy(() -> this.tokens.verify(token))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.FORGED));
	}

	@Test
	void theFirstKeySignsAndEveryKeyVerifies() {
		PlaybackTokens old = new PlaybackTokens(List.of(KEY_A), Duration.ofMinutes(15), this.clock);
		PlaybackTokens rotated = new PlaybackTokens(List.of(KEY_B, KEY_A), Duration.ofMinutes(15), this.clock);
		String before = old.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		String after = rotated.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		assertThat(rotated.verify(before).callSid()).isEqualTo("call-1");
		assertThat(rotated.verify(after).callSid()).isEqualTo("call-1");
		assertThat(after).isNotEqualTo(before);
		assertThatExceptionOfType(PlaybackTokenException.class).isThrownBy(() -> old.verify(after));
	}

	@Test
	void aTokenExpiresAtTheEndOfItsLifetime() {
		Instant[] now = { NOW };
		Clock moving = new Clock() {
			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now[0];
			}
		};
		PlaybackTokens timed = new PlaybackTokens(List.of(KEY_A), Duration.ofMinutes(15), moving);
		String token = timed.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		now[0] = NOW.plus(Duration.ofMinutes(15)).minusSeconds(1);
		assertThat(timed.verify(token).callSid()).isEqualTo("call-1");
		now[0] = NOW.plus(Duration.ofMinutes(15));
		assertThatExceptionOfType(PlaybackTokenException.class).isThrownBy(() -> timed.verify(token))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.EXPIRED))
			.withMessageContaining("expired");
	}

	@Test
	void notATokenIsMalformed() {
		String good = this.tokens.sign("alpha", "exogate-demo", "call-1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		for (String bad : List.of("", "abc", ".", "a.b.c", "!!!.???", good.substring(0, good.length() - 4), "x".repeat(5000))) {
			assertThatExceptionOfType(PlaybackTokenException.class).as(bad).isThrownBy(() -> this.tokens.verify(bad))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.MALFORMED));
		}
	}

	@Test
	void keysShorterThan32BytesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PlaybackTokens(List.of(new byte[31]), Duration.ofMinutes(15), this.clock))
			.withMessageContaining("32");
		assertThatIllegalArgumentException().isThrownBy(() -> new PlaybackTokens(List.of(), Duration.ofMinutes(15), this.clock));
	}

	@Test
	void aRangeIsPassedOnOnlyWhenSingle() {
		assertThat(PlaybackHandler.singleRange("bytes=0-99")).isEqualTo("bytes=0-99");
		assertThat(PlaybackHandler.singleRange("bytes=100-")).isEqualTo("bytes=100-");
		assertThat(PlaybackHandler.singleRange("bytes=-500")).isEqualTo("bytes=-500");
		assertThat(PlaybackHandler.singleRange("bytes=0-1,5-6")).isNull();
		assertThat(PlaybackHandler.singleRange("items=0-1")).isNull();
		assertThat(PlaybackHandler.singleRange(null)).isNull();
	}

	static byte[] key(char fill) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) fill);
		return key;
	}

}
