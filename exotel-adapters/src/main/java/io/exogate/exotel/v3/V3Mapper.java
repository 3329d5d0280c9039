package io.exogate.exotel.v3;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.UpstreamReading;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.App;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingExport;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Maps v3's call details, voice logs and exports onto the model; numbers become E.164 where
 * readable ({@link PhoneNumbers}), and what cannot be read is upstream's failure.
 */
final class V3Mapper {

	private V3Mapper() {
	}

	static Call toCall(V3Wire.CallDetails wire, String accountSid, PhoneNumbers numbers) {
		if (wire == null || WireValues.text(wire.sid()) == null) {
			throw new UpstreamUnavailableException("Exotel v3 returned call details without a SID");
		}
		return UpstreamReading.read("Exotel v3 returned an unreadable call", () -> {
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
		});
	}

	/**
	 * A voice log as a recording. A format or channel exogate does not know is {@code UNKNOWN} with
	 * the raw value kept; where upstream states none, the requested one is assumed. The expiry is
	 * the earliest of {@code expires_at}, the expiry the URL itself carries, and, when neither is
	 * stated, {@code asked + defaultValidity}. A stated expiry already past at {@code now} makes an
	 * {@code EXPIRED} recording without URL, whatever status upstream gave.
	 */
	static Recording toRecording(V3Wire.VoiceLog wire, String callSid, RecordingFormat format, RecordingChannel channel,
			Instant asked, Instant now, Duration defaultValidity) {
		return UpstreamReading.read("Exotel v3 returned an unreadable voice log", () -> {
			String url = WireValues.text(wire.recordingUrl());
			String rawFormat = WireValues.text(wire.format());
			String rawChannel = WireValues.text(wire.channel());
			RecordingFormat actualFormat = (rawFormat != null) ? format(rawFormat) : format;
			RecordingChannel actualChannel = (rawChannel != null) ? channel(rawChannel) : channel;
			Instant stated = earliest(WireValues.instant(wire.expiresAt()), WireValues.expiryInUrl(url));
			RecordingStatus recordingStatus = (stated != null && !stated.isAfter(now)) ? RecordingStatus.EXPIRED
					: status(WireValues.text(wire.status()), url);
			if (recordingStatus != RecordingStatus.AVAILABLE) {
				return Recording.unavailable(callSid, recordingStatus, actualFormat, actualChannel, rawFormat, rawChannel);
			}
			Instant expiry = (stated != null) ? stated : asked.plus(defaultValidity);
			return new Recording(callSid, RecordingStatus.AVAILABLE, new SignedUrl(URI.create(url), expiry), actualFormat,
					actualChannel, WireValues.seconds(wire.recordingDuration()), WireValues.count(wire.recordingSizeBytes()),
					WireValues.instant(wire.createdAt()), rawFormat, rawChannel);
		});
	}

	/** An accepted export; where upstream states no callback URL, the one asked for. */
	static RecordingExport toExport(V3Wire.Export wire, URI requestedCallback) {
		if (wire == null || WireValues.text(wire.exportId()) == null) {
			throw new UpstreamUnavailableException("Exotel v3 accepted the export without an id");
		}
		return UpstreamReading.read("Exotel v3 returned an unreadable export", () -> {
			String status = WireValues.text(wire.status());
			ExportStatus exportStatus = "completed".equalsIgnoreCase(status) ? ExportStatus.READY
					: "failed".equalsIgnoreCase(status) ? ExportStatus.FAILED : ExportStatus.PROCESSING;
			String callback = WireValues.text(wire.callbackUrl());
			return new RecordingExport(wire.exportId(), exportStatus, WireValues.seconds(wire.estimatedTimeSeconds()),
					(callback != null) ? URI.create(callback) : requestedCallback);
		});
	}

	private static RecordingFormat format(String raw) {
		return switch (raw.toLowerCase(Locale.ROOT)) {
			case "mp3" -> RecordingFormat.MP3;
			case "wav" -> RecordingFormat.WAV;
			default -> RecordingFormat.UNKNOWN;
		};
	}

	private static RecordingChannel channel(String raw) {
		return switch (raw.toLowerCase(Locale.ROOT)) {
			case "single" -> RecordingChannel.SINGLE;
			case "dual" -> RecordingChannel.DUAL;
			default -> RecordingChannel.UNKNOWN;
		};
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
