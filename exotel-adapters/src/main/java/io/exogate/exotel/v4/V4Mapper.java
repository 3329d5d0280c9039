package io.exogate.exotel.v4;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.UpstreamReading;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.Agent;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.Customer;
import io.exogate.model.call.TimelineEvent;
import io.exogate.model.error.UpstreamUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps v4 voicelogs and their totals onto the model; numbers become E.164 where readable
 * ({@link PhoneNumbers}), and what cannot be read is upstream's failure.
 */
final class V4Mapper {

	private V4Mapper() {
	}

	static Call toCall(V4Wire.Voicelog wire, String accountSid, PhoneNumbers numbers) {
		if (wire == null || WireValues.text(wire.callSid()) == null) {
			throw new UpstreamUnavailableException("Exotel v4 returned a voicelog without a call SID");
		}
		return UpstreamReading.read("Exotel v4 returned an unreadable voicelog", () -> {
			String status = WireValues.text(wire.status());
			String direction = WireValues.text(wire.direction());
			Agent agent = (wire.agent() != null && WireValues.text(wire.agent().userId()) != null)
					? new Agent(wire.agent().userId(), WireValues.text(wire.agent().name())) : null;
			Customer customer = (wire.customer() != null && WireValues.text(wire.customer().number()) != null)
					? new Customer(numbers.toModel(WireValues.text(wire.customer().number())), WireValues.text(wire.customer().name()))
					: null;
			List<TimelineEvent> timeline = new ArrayList<>();
			if (wire.timeline() != null) {
				for (V4Wire.Event event : wire.timeline()) {
					Instant at = (event != null) ? WireValues.instant(event.time()) : null;
					if (at != null && WireValues.text(event.event()) != null) {
						timeline.add(new TimelineEvent(event.event(), at));
					}
				}
			}
			Instant started = WireValues.instant(wire.startTime());
			return Call.builder(wire.callSid())
				.accountSid(accountSid)
				.status(CallStatus.fromV4(status), status)
				.direction(CallDirection.fromV4(direction), direction)
				.exophone(numbers.toModel(WireValues.text(wire.exophone())))
				.startedAt(started)
				.endedAt(WireValues.instant(wire.endTime()))
				.duration(WireValues.seconds(wire.duration()))
				.talkTime(WireValues.seconds(wire.talkTime()))
				.holdTime(WireValues.seconds(wire.holdTime()))
				.agent(agent)
				.customer(customer)
				.disposition(WireValues.text(wire.disposition()))
				.customField(WireValues.text(wire.customField()))
				.timeline(timeline)
				.source(ApiVersion.V4)
				.build();
		});
	}

	/** How many voicelogs a search matches, from a page's metadata; {@code null} when not stated. */
	static Long total(V4Wire.Metadata metadata) {
		return (metadata != null) ? UpstreamReading.read("Exotel v4 returned an unreadable total", () -> WireValues.count(metadata.total()))
				: null;
	}

	/** Whether the voicelog says a recording is available. */
	static boolean hasRecording(V4Wire.Voicelog wire) {
		return wire.recording() != null && Boolean.TRUE.equals(wire.recording().available());
	}

}
