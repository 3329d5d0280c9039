package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class PlaybackLinksTest {

	static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

	final PlaybackTokens tokens = new PlaybackTokens(List.of(PlaybackTokensTest.key('k')), Duration.ofMinutes(15),
			Clock.fixed(NOW, ZoneOffset.UTC));

	final Recording available = new Recording("call-1", RecordingStatus.AVAILABLE,
			new SignedUrl(URI.create("https://media.example/rec.mp3?signature=s3cr3t"), NOW.plusSeconds(600)), RecordingFormat.MP3,
			RecordingChannel.SINGLE, null, null, null);

	@Test
	void theConfiguredPublicBaseUrlIsUsed() {
		MockEnvironment environment = new MockEnvironment().withProperty("exogate.public-base-url", "https://calls.acme.example/")
			.withProperty("local.server.port", "8123");
		String url = new PlaybackLinks(this.tokens, environment).url("acme", "acme-1", this.available);
		assertThat(url).startsWith("https://calls.acme.example/playback/").doesNotContain("s3cr3t").doesNotContain("media.example");
		String token = url.substring(url.lastIndexOf('/') + 1);
		assertThat(this.tokens.verify(token)).isEqualTo(new PlaybackToken("acme", "acme-1", "call-1", RecordingFormat.MP3,
				RecordingChannel.SINGLE, NOW.plus(Duration.ofMinutes(15))));
	}

	@Test
	void withoutOneTheGatewaysOwnAddressAndPortAreUsed() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8123");
		assertThat(new PlaybackLinks(this.tokens, environment).url("acme", "acme-1", this.available))
			.startsWith("http://127.0.0.1:8123/playback/");
		environment.setProperty("server.address", "10.0.0.7");
		assertThat(new PlaybackLinks(this.tokens, environment).url("acme", "acme-1", this.available))
			.startsWith("http://10.0.0.7:8123/playback/");
	}

	@Test
	void onlyAnAvailableRecordingHasOne() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "8123");
		PlaybackLinks links = new PlaybackLinks(this.tokens, environment);
		for (RecordingStatus status : List.of(RecordingStatus.PROCESSING, RecordingStatus.NOT_AVAILABLE, RecordingStatus.EXPIRED)) {
			assertThat(links.url("acme", "acme-1", Recording.unavailable("call-1", status, RecordingFormat.MP3, RecordingChannel.SINGLE)))
				.isNull();
		}
	}

}
