package io.exogate.exotel.v1;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.UpstreamReading;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallLeg;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps v1's wire calls, list totals and pre-signed recordings onto the model; numbers become E.164
 * where readable ({@link PhoneNumbers}), and what cannot be read is upstream's failure.
 */
final class V1Mapper {

	private V1Mapper() {
	}

	static Call toCall(V1CallResource wire, String accountSid, PhoneNumbers numbers) {
		if (wire == null || WireValues.text(wire.sid()) == null) {
			throw new UpstreamUnavailableException("Exotel v1 returned a call without a SID");
		}
		return UpstreamReading.read("Exotel v1 returned an unreadable call", () -> {
			String rawStatus = WireValues.text(wire.status());
			String rawDirection = WireValues.text(wire.direction());
			Call.Builder call = Call.builder(wire.sid())
				.accountSid((WireValues.text(wire.accountSid()) != null) ? wire.accountSid() : accountSid)
				.status(CallStatus.fromV1(rawStatus), rawStatus)
				.direction(CallDirection.fromV1(rawDirection), rawDirection)
				.from(numbers.toModel(WireValues.text(wire.from())))
				.to(numbers.toModel(WireValues.text(wire.to())))
				.exophone(numbers.toModel(WireValues.text(wire.phoneNumberSid())))
				.createdAt(WireValues.instant(wire.dateCreated()))
				.startedAt(WireValues.instant(wire.startTime()))
				.endedAt(WireValues.instant(wire.endTime()))
				.duration(WireValues.seconds(wire.duration()))
				.price(WireValues.price(wire.price(), null))
				.answeredBy(WireValues.text(wire.answeredBy()))
				.source(ApiVersion.V1);
			if (wire.details() != null) {
				call.conversationDuration(WireValues.seconds(wire.details().conversationDuration()));
				call.legs(legs(wire.details()));
			}
			return call.build();
		});
	}

	/** How many calls a list request matches, from its metadata; {@code null} when not stated. */
	static Long total(V1CallsPage.Metadata metadata) {
		return (metadata != null) ? UpstreamReading.read("Exotel v1 returned an unreadable total", () -> WireValues.count(metadata.total()))
				: null;
	}

	/**
	 * A call's pre-signed recording. Its expiry is the earlier of {@code asked + validity} and the
	 * expiry the URL carries; a URL already expired at {@code now} makes an {@code EXPIRED}
	 * recording without it. A call without a pre-signed URL has no recording.
	 */
	static Recording toPresignedRecording(V1CallResource wire, String callSid, String accountSid, Instant asked, Duration validity,
			Instant now, PhoneNumbers numbers) {
		return UpstreamReading.read("Exotel v1 returned an unreadable recording", () -> {
			String url = (wire != null) ? WireValues.text(wire.preSignedRecordingUrl()) : null;
			if (url == null) {
				return Recording.unavailable(callSid, RecordingStatus.NOT_AVAILABLE, RecordingFormat.MP3, RecordingChannel.SINGLE);
			}
			Instant expiry = asked.plus(validity).truncatedTo(ChronoUnit.SECONDS);
			Instant stated = WireValues.expiryInUrl(url);
			if (stated != null && stated.isBefore(expiry)) {
				expiry = stated;
			}
			if (!expiry.isAfter(now)) {
				return Recording.unavailable(callSid, RecordingStatus.EXPIRED, RecordingFormat.MP3, RecordingChannel.SINGLE);
			}
			Call call = toCall(wire, accountSid, numbers);
			return new Recording(callSid, RecordingStatus.AVAILABLE, new SignedUrl(URI.create(url), expiry), RecordingFormat.MP3,
					RecordingChannel.SINGLE, null, null, call.endedAt());
		});
	}

	private static List<CallLeg> legs(V1CallResource.Details details) {
		List<CallLeg> legs = new ArrayList<>();
		if (details.legs() == null) {
			return legs;
		}
		for (V1CallResource.LegEntry entry : details.legs()) {
			V1CallResource.Leg leg = (entry != null) ? entry.leg() : null;
			if (leg == null || WireValues.text(leg.id()) == null) {
				continue;
			}
			int id = Integer.parseInt(leg.id().trim());
			String rawStatus = WireValues.text(leg.status());
			if (rawStatus == null) {
				rawStatus = WireValues.text((id == 1) ? details.leg1Status() : (id == 2) ? details.leg2Status() : null);
			}
			legs.add(new CallLeg(id, CallStatus.fromV1(rawStatus), rawStatus, WireValues.seconds(leg.onCallDuration()),
					WireValues.text(leg.answeredBy())));
		}
		return legs;
	}

}
