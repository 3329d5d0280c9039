package io.exogate.exotel.v3;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.App;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Maps v3's call details and voice logs onto the model; numbers become E.164 where readable ({@link PhoneNumbers}). */
final class V3Mapper {

	private V3Mapper() {
	}

	static Call toCall(V3Wire.CallDetails wire, String accountSid, PhoneNumbers numbers) {
		if (wire == null || WireValues.text(wire.sid()) == null) {
			throw new UpstreamUnavailableException("Exotel v3 returned call details without a SID");
		}
		try {
			String state = WireValues.text(wire.state());
			String status = WireValues.text(wire.status());
			String direction = WireValues.text(wire.direction());
			String appId = WireValues.text(wire.appId());
			String appName = WireValues.text(wire.appName());
			return Call.builder(wire.sid())
				.accountSid(accountSid)
				.status(CallStatus.fromV3(state, status), (status != null) ? status : state)
				.direction(CallDirection.fromV3(direction), direction)
				.exophone(numbers.toModel(WireValues.text(wire.virtualNumber())))
				.createdAt(WireValues.instant(wire.createdTime()))
				.startedAt(WireValues.instant(wire.startTime()))
				.endedAt(WireValues.instant(wire.endTime()))
				.duration(WireValues.seconds(wire.totalDuration()))
				.conversationDuration(WireValues.seconds(wire.totalTalkTime()))
				.customField(WireValues.text(wire.customField()))
				.app((appId != null || appName != null) ? new App(appId, appName) : null)
				.digits(WireValues.text(wire.digits()))
				.source(ApiVersion.V3)
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new UpstreamUnavailableException("Exotel v3 returned call " + wire.sid() + " in an unreadable form: " + ex.getMessage());
		}
	}

	/**
	 * A voice log as a recording. The expiry is the earliest of {@code expires_at}, the expiry the
	 * URL itself carries, and, when neither is stated, {@code now + defaultValidity}.
	 */
	static Recording toRecording(V3Wire.VoiceLog wire, String callSid, RecordingFormat format, RecordingChannel channel,
			Instant now, Duration defaultValidity) {
		String status = WireValues.text(wire.status());
		String url = WireValues.text(wire.recordingUrl());
		RecordingStatus recordingStatus = status(status, url);
		RecordingFormat actualFormat = (WireValues.text(wire.format()) != null) ? RecordingFormat.valueOf(wire.format().trim().toUpperCase(Locale.ROOT)) : format;
		RecordingChannel actualChannel = (WireValues.text(wire.channel()) != null) ? RecordingChannel.valueOf(wire.channel().trim().toUpperCase(Locale.ROOT)) : channel;
		if (recordingStatus != RecordingStatus.AVAILABLE) {
			return Recording.unavailable(callSid, recordingStatus, actualFormat, actualChannel);
		}
		Instant stated = WireValues.instant(wire.expiresAt());
		Instant inUrl = WireValues.expiryInUrl(url);
		Instant expiry = earliest(stated, inUrl);
		if (expiry == null) {
			expiry = now.plus(defaultValidity);
		}
		URI uri;
		try {
			uri = URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			throw new UpstreamUnavailableException("Exotel v3 returned an unusable recording URL for call " + callSid);
		}
		Duration duration = WireValues.seconds(wire.recordingDuration());
		String size = WireValues.text(wire.recordingSizeBytes());
		return new Recording(callSid, RecordingStatus.AVAILABLE, new SignedUrl(uri, expiry), actualFormat, actualChannel,
				duration, (size != null) ? Long.valueOf(size) : null, WireValues.instant(wire.createdAt()));
	}

	private static RecordingStatus status(String status, String url) {
		if (status == null) {
			return (url != null) ? RecordingStatus.AVAILABLE : RecordingStatus.NOT_AVAILABLE;
		}
		return switch (status.toLowerCase(Locale.ROOT)) {
			case "available" -> (url != null) ? RecordingStatus.AVAILABLE : RecordingStatus.NOT_AVAILABLE;
			case "processing" -> RecordingStatus.PROCESSING;
			case "expired" -> RecordingStatus.EXPIRED;
			default -> RecordingStatus.NOT_AVAILABLE;
		};
	}

	private static Instant earliest(Instant a, Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isBefore(b)) ? a : b;
	}

}
