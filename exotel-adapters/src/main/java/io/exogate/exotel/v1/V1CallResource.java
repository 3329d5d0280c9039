package io.exogate.exotel.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A call as v1 writes it; numbers may arrive as strings or numbers and are read as text. */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
record V1CallResource(String sid, String parentCallSid, String dateCreated, String dateUpdated, String accountSid,
		String to, String from, String phoneNumberSid, String status, String startTime, String endTime, String duration,
		String price, String direction, String answeredBy, String forwardedFrom, String callerName, String uri,
		String recordingUrl, String preSignedRecordingUrl, Details details) {

	@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Details(String conversationDuration, String leg1Status, String leg2Status, List<LegEntry> legs) {
	}

	@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record LegEntry(Leg leg) {
	}

	@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Leg(String id, String onCallDuration, String status, String answeredBy) {
	}

}
