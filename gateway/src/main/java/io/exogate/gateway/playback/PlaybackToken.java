package io.exogate.gateway.playback;

import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import java.time.Instant;

/**
 * What a playback token grants: one recording variant of one call, for one tenant and account, until
 * {@code expiresAt}.
 */
public record PlaybackToken(String tenant, String account, String callSid, RecordingFormat format, RecordingChannel channel,
		Instant expiresAt) {
}
