package io.exogate.exotel.v3;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** v3's wire shapes: the ccm envelope, call details and voice logs. */
final class V3Wire {

	private V3Wire() {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record CallEnvelope(CallResponse response) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record CallResponse(CallDetails callDetails) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ActiveEnvelope(ActiveResponse response) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ActiveResponse(List<CallDetails> callDetails) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record CallDetails(String sid, String direction, String virtualNumber, String state, String status, String createdTime,
			String updatedTime, String startTime, String endTime, String totalDuration, String totalTalkTime,
			String customField, String appId, String appName, String digits, List<RecordingLink> recordings) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record RecordingLink(String url) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record VoiceLogEnvelope(VoiceLogResponse response) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record VoiceLogResponse(VoiceLog voiceLog, List<VoiceLog> voiceLogs, Export export) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record VoiceLog(String callSid, String status, String recordingUrl, String recordingDuration, String recordingSizeBytes,
			String format, String channel, String createdAt, String expiresAt) {
	}

	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Export(String exportId, String status, String estimatedTimeSeconds, String callbackUrl) {
	}

}
