package io.exogate.model.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordingTest {

	private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

	private static final SignedUrl URL = new SignedUrl(URI.create("https://media.example/c1.mp3?exp=1&sig=x"),
			NOW.plusSeconds(300));

	@Test
	void anAvailableRecordingCarriesAUrl() {
		Recording recording = new Recording("c1", RecordingStatus.AVAILABLE, URL, RecordingFormat.MP3,
				RecordingChannel.SINGLE, Duration.ofSeconds(280), 472000L, NOW);
		assertThat(recording.url()).isEqualTo(URL);
		assertThatThrownBy(() -> new Recording("c1", RecordingStatus.AVAILABLE, null, RecordingFormat.MP3,
				RecordingChannel.SINGLE, null, null, null))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void anUnavailableRecordingCarriesNoUrl() {
		assertThat(Recording.unavailable("c1", RecordingStatus.PROCESSING, RecordingFormat.WAV, RecordingChannel.DUAL).url())
			.isNull();
		assertThatThrownBy(() -> new Recording("c1", RecordingStatus.EXPIRED, URL, RecordingFormat.MP3,
				RecordingChannel.SINGLE, null, null, null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("EXPIRED");
	}

	@Test
	void anUnknownFormatOrChannelKeepsWhatUpstreamWrote() {
		Recording recording = new Recording("c1", RecordingStatus.AVAILABLE, URL, RecordingFormat.UNKNOWN, RecordingChannel.UNKNOWN,
				null, null, null, "ogg", "quad");
		assertThat(recording.rawFormat()).isEqualTo("ogg");
		assertThat(recording.rawChannel()).isEqualTo("quad");
		Recording unavailable = Recording.unavailable("c1", RecordingStatus.PROCESSING, RecordingFormat.UNKNOWN, RecordingChannel.DUAL,
				"opus", "dual");
		assertThat(unavailable.format()).isEqualTo(RecordingFormat.UNKNOWN);
		assertThat(unavailable.rawFormat()).isEqualTo("opus");
		assertThat(unavailable.rawChannel()).isEqualTo("dual");
		assertThat(unavailable.url()).isNull();
	}

	@Test
	void aRecordingBuiltWithoutRawValuesStatesNone() {
		Recording recording = new Recording("c1", RecordingStatus.AVAILABLE, URL, RecordingFormat.MP3, RecordingChannel.SINGLE,
				Duration.ofSeconds(280), 472000L, NOW);
		assertThat(recording.rawFormat()).isNull();
		assertThat(recording.rawChannel()).isNull();
		assertThat(Recording.unavailable("c1", RecordingStatus.EXPIRED, RecordingFormat.WAV, RecordingChannel.DUAL).rawFormat()).isNull();
	}

	@Test
	void sizesAndDurationsAreNotNegative() {
		assertThatThrownBy(() -> new Recording("c1", RecordingStatus.AVAILABLE, URL, RecordingFormat.MP3,
				RecordingChannel.SINGLE, null, -1L, null))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Recording("c1", RecordingStatus.AVAILABLE, URL, RecordingFormat.MP3,
				RecordingChannel.SINGLE, Duration.ofSeconds(-1), null, null))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Recording.unavailable("", RecordingStatus.NOT_AVAILABLE, RecordingFormat.MP3,
				RecordingChannel.SINGLE))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aSignedUrlIsUsableOnlyBeyondTheSafetyMargin() {
		Duration margin = Duration.ofSeconds(60);
		assertThat(URL.usableFor(NOW, margin)).isEqualTo(Duration.ofSeconds(240));
		assertThat(URL.isUsableAt(NOW, margin)).isTrue();
		assertThat(URL.isUsableAt(NOW.plusSeconds(239), margin)).isTrue();
		assertThat(URL.isUsableAt(NOW.plusSeconds(240), margin)).isFalse();
		assertThat(URL.isUsableAt(NOW.plusSeconds(400), margin)).isFalse();
	}

	@Test
	void aSignedUrlIsAnAbsoluteHttpUrl() {
		assertThatThrownBy(() -> new SignedUrl(URI.create("/relative.mp3"), NOW)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new SignedUrl(URI.create("file:///etc/passwd"), NOW)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new SignedUrl(URI.create("https://x/y.mp3"), null)).isInstanceOf(NullPointerException.class);
	}

	@Test
	void anExportNeedsAWindowAndAnHttpCallbackWithoutCredentials() {
		TimeWindow window = TimeWindow.endingAt(NOW, Duration.ofDays(1));
		URI callback = URI.create("https://hooks.example/export?secret=s3");
		assertThat(new RecordingExportRequest(window, RecordingFormat.MP3, callback).callbackUrl()).isEqualTo(callback);
		assertThatThrownBy(() -> new RecordingExportRequest(null, RecordingFormat.MP3, callback))
			.isInstanceOf(BadRequestException.class).hasMessageContaining("time window");
		assertThatThrownBy(() -> new RecordingExportRequest(window, RecordingFormat.MP3, URI.create("ftp://hooks.example/x")))
			.isInstanceOf(BadRequestException.class).hasMessageContaining("http(s)");
		assertThatThrownBy(() -> new RecordingExportRequest(window, RecordingFormat.MP3, URI.create("/relative")))
			.isInstanceOf(BadRequestException.class);
		assertThatThrownBy(() -> new RecordingExportRequest(window, RecordingFormat.MP3, null))
			.isInstanceOf(BadRequestException.class);
		assertThatThrownBy(() -> new RecordingExportRequest(window, RecordingFormat.MP3,
				URI.create("https://user:pass@hooks.example/x")))
			.isInstanceOf(BadRequestException.class).hasMessageContaining("credentials");
	}

}
