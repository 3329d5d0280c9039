package io.exogate.exotel.v4;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** v4's wire shapes: voicelog pages and single voicelogs. */
final class V4Wire {

	private V4Wire() {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ListEnvelope(ListResponse response) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ListResponse(ListData data, Metadata metadata) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record ListData(List<Voicelog> voicelogs) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Metadata(String total, String limit, String offset, Boolean hasNext) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record SingleEnvelope(SingleResponse response) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record SingleResponse(Voicelog data) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Voicelog(String callSid, String direction, String status, Agent agent, Customer customer, String exophone,
			String startTime, String endTime, String duration, String talkTime, String holdTime, Recording recording,
			String disposition, String customField, List<Event> timeline) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Agent(String userId, String name) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Customer(String number, String name) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Recording(Boolean available, String url, String duration, String channels) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Event(String event, String time) {
	}

}
