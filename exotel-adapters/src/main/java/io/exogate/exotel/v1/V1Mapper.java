package io.exogate.exotel.v1;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallLeg;
import io.exogate.model.call.CallStatus;
import io.exogate.model.error.UpstreamUnavailableException;
import java.util.ArrayList;
import java.util.List;

/** Maps v1's wire calls onto the model; numbers become E.164 where readable ({@link PhoneNumbers}). */
final class V1Mapper {

	private V1Mapper() {
	}

	static Call toCall(V1CallResource wire, String accountSid, PhoneNumbers numbers) {
		if (wire == null || WireValues.text(wire.sid()) == null) {
			throw new UpstreamUnavailableException("Exotel v1 returned a call without a SID");
		}
		try {
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
		}
		catch (IllegalArgumentException ex) {
			throw new UpstreamUnavailableException("Exotel v1 returned call " + wire.sid() + " in an unreadable form: "
					+ ex.getMessage());
		}
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
