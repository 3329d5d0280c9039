package io.exogate.gateway.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.exogate.gateway.upstream.UpstreamMode;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybackConfigurationTest {

	final PlaybackConfiguration configuration = new PlaybackConfiguration();

	@Test
	void withoutAKeyOutsideDemoModeTheStartIsRefusedNamingTheProperty() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.configuration.playbackTokens(new PlaybackProperties(List.of(), null, null, null, null), UpstreamMode.EXOTEL,
					Clock.systemUTC()))
			.withMessageContaining("exogate.playback.signing-keys");
	}

	@Test
	void demoModeMakesARandomKeyAndTheLifetimeDefaultsTo15Minutes() {
		PlaybackTokens one = this.configuration.playbackTokens(new PlaybackProperties(null, null, null, null, null), UpstreamMode.DEMO, Clock.systemUTC());
		PlaybackTokens two = this.configuration.playbackTokens(new PlaybackProperties(null, null, null, null, null), UpstreamMode.DEMO, Clock.systemUTC());
		assertThat(one.lifetime()).isEqualTo(Duration.ofMinutes(15));
		String token = one.sign("t", "a", "c", RecordingFormat.MP3, RecordingChannel.SINGLE);
		assertThat(one.verify(token).callSid()).isEqualTo("c");
		assertThat(two.sign("t", "a", "c", RecordingFormat.MP3, RecordingChannel.SINGLE)).isNotEqualTo(token);
	}

	@Test
	void keysAreReadFromOneEnvironmentVariableCommaSeparated() {
		org.springframework.core.env.StandardEnvironment environment = new org.springframework.core.env.StandardEnvironment();
		environment.getPropertySources()
			.replace("systemEnvironment", new org.springframework.core.env.SystemEnvironmentPropertySource("systemEnvironment",
					java.util.Map.of("EXOGATE_PLAYBACK_SIGNINGKEYS", "a2V5LW9uZQ==,a2V5LXR3bw==", "EXOGATE_PLAYBACK_LIFETIME", "5m")));
		PlaybackProperties properties = org.springframework.boot.context.properties.bind.Binder.get(environment)
			.bind("exogate.playback", PlaybackProperties.class)
			.get();
		assertThat(properties.signingKeys()).containsExactly("a2V5LW9uZQ==", "a2V5LXR3bw==");
		assertThat(properties.lifetime()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void shortOrNonBase64KeysAreRefused() {
		String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.configuration.playbackTokens(new PlaybackProperties(List.of(shortKey), null, null, null, null), UpstreamMode.EXOTEL,
					Clock.systemUTC()))
			.withMessageContaining("at least 32");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.configuration.playbackTokens(new PlaybackProperties(List.of("not base64!"), null, null, null, null),
					UpstreamMode.EXOTEL, Clock.systemUTC()))
			.withMessageContaining("not base64");
	}

}
