package io.exogate.sandbox;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** v3: call details, active calls, and voice-log downloads (one call, bulk, date-range export). */
final class V3Api {

	static final int MAX_BULK = 100;

	static final Duration MAX_EXPORT_RANGE = Duration.ofDays(31);

	private final SandboxContext context;

	private final Exports exports;

	V3Api(SandboxContext context, Exports exports) {
		this.context = context;
		this.exports = exports;
	}

	/** {@code GET /v3/accounts/{sid}/calls/{callSid}}. */
	SandboxResponse call(SandboxAccount account, String callSid) {
		Instant now = this.context.now();
		SandboxCall call = find(account, callSid, now);
		return ok("GET", Json.object("code", 200, "status", "success", "call_details", details(call, now)));
	}

	/** {@code GET /v3/accounts/{sid}/calls/active}: live calls and calls wrapping up. */
	SandboxResponse active(SandboxAccount account) {
		Instant now = this.context.now();
		List<Object> active = new ArrayList<>();
		for (SandboxCall call : this.context.store.calls(account.sid(), now)) {
			if (this.context.phase(call, now).isActive()) {
				active.add(details(call, now));
			}
		}
		return ok("GET", Json.object("code", 200, "status", "success", "call_details", active, "metadata",
				Json.object("total", active.size())));
	}

	/** {@code GET /v3/accounts/{sid}/calls/{callSid}/voice-logs}. */
	SandboxResponse voiceLog(SandboxRequest request, SandboxAccount account, String callSid) {
		String format = format(request.param("format"));
		String channel = channel(request.param("channel"));
		String includeMetadata = request.param("include_metadata");
		if (includeMetadata != null && !includeMetadata.equals("true") && !includeMetadata.equals("false")) {
			throw ApiError.badRequest("include_metadata must be true or false");
		}
		Instant now = this.context.now();
		SandboxCall call = find(account, callSid, now);
		String state = this.context.recordingState(call, now);
		if (state.equals("not_available")) {
			throw ApiError.notFound("No recording exists for call " + callSid);
		}
		Map<String, Object> log = Json.object("call_sid", call.sid());
		if (state.equals("available")) {
			Instant expiresAt = this.context.signedUrlExpiry(now);
			log.put("status", "available");
			log.put("recording_url", this.context.voiceLogUrl(call, format, channel, expiresAt));
			log.put("recording_duration", call.recordingSeconds());
			log.put("recording_size_bytes", Media.size(call, format, channel));
			log.put("format", format);
			log.put("channel", channel);
			log.put("created_at", ExotelTime.v4(call.endedAt().plus(this.context.processingDelay.get())));
			log.put("expires_at", ExotelTime.v4(expiresAt));
		}
		else {
			log.put("status", "processing");
			log.put("recording_url", null);
			log.put("recording_duration", 0);
			log.put("format", format);
			log.put("channel", channel);
		}
		if ("true".equals(includeMetadata)) {
			log.put("metadata", Json.object("direction", call.inbound() ? "inbound" : "outbound", "from", call.from(),
					"to", call.to(), "virtual_number", call.exophone(), "start_time", ExotelTime.v3(call.startedAt()),
					"end_time", ExotelTime.v3(call.endedAt()), "duration", call.durationSeconds()));
		}
		return ok("GET", Json.object("voice_log", log));
	}

	/** {@code POST /v3/accounts/{sid}/voice-logs/bulk}. */
	SandboxResponse bulk(SandboxRequest request, SandboxAccount account) {
		JsonNode body = body(request);
		JsonNode sids = body.get("call_sids");
		if (sids == null || !sids.isArray() || sids.isEmpty()) {
			throw ApiError.badRequest("call_sids must be a non-empty array");
		}
		if (sids.size() > MAX_BULK) {
			throw ApiError.badRequest("call_sids accepts at most " + MAX_BULK + " call SIDs");
		}
		String format = format(text(body, "format"));
		String channel = channel(text(body, "channel"));
		Set<String> wanted = new LinkedHashSet<>();
		for (JsonNode sid : sids) {
			if (!sid.isString() || !sid.asString().matches("[A-Za-z0-9_]{1,64}")) {
				throw ApiError.badRequest("call_sids must hold call SIDs");
			}
			wanted.add(sid.asString());
		}
		Instant now = this.context.now();
		Instant expiresAt = this.context.signedUrlExpiry(now);
		List<Object> logs = new ArrayList<>();
		for (String sid : wanted) {
			SandboxCall call = this.context.store.find(account.sid(), sid, now);
			String state = (call != null) ? this.context.recordingState(call, now) : "not_available";
			boolean available = state.equals("available");
			logs.add(Json.object("call_sid", sid,
					"recording_url", available ? this.context.voiceLogUrl(call, format, channel, expiresAt) : null,
					"recording_duration", available ? call.recordingSeconds() : 0,
					"status", state));
		}
		return ok("POST", Json.object("voice_logs", logs));
	}

	/** {@code POST /v3/accounts/{sid}/voice-logs/export}: 202, then a callback once the archive is ready. */
	SandboxResponse export(SandboxRequest request, SandboxAccount account) {
		JsonNode body = body(request);
		Instant start = isoTime(body, "start_date");
		Instant end = isoTime(body, "end_date");
		if (!start.isBefore(end)) {
			throw ApiError.badRequest("start_date must be before end_date");
		}
		if (Duration.between(start, end).compareTo(MAX_EXPORT_RANGE) > 0) {
			throw ApiError.badRequest("An export can cover at most 31 days");
		}
		String format = format(text(body, "format"));
		String callback = text(body, "callback_url");
		URI callbackUrl;
		try {
			callbackUrl = (callback != null) ? URI.create(callback) : null;
		}
		catch (IllegalArgumentException ex) {
			callbackUrl = null;
		}
		if (callbackUrl == null || callbackUrl.getHost() == null
				|| !("http".equals(callbackUrl.getScheme()) || "https".equals(callbackUrl.getScheme()))) {
			throw ApiError.badRequest("callback_url must be an absolute http(s) URL");
		}
		String exportId = "export_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.exports.start(new Exports.Export(exportId, account.sid(), start, end, format, callbackUrl));
		return SandboxResponse.json(202, Json.write(Json.object("request_id", requestId(), "method", "POST",
				"http_code", 202, "response", Json.object("export", Json.object("export_id", exportId, "status",
						"processing", "estimated_time_seconds", this.context.settings.exportDelay().getSeconds(),
						"callback_url", callbackUrl.toString())))));
	}

	/** A v3/v4 error envelope. */
	static SandboxResponse error(int status, String method, String message) {
		return SandboxResponse.json(status, Json.write(Json.object("request_id", requestId(), "method", method,
				"http_code", status, "response", Json.object("code", status, "status", "failure", "data", null,
						"error_data", Json.object("code", status * 10, "message", reason(status), "description", message)))));
	}

	private Map<String, Object> details(SandboxCall call, Instant now) {
		SandboxCall.CallPhase phase = this.context.phase(call, now);
		boolean active = phase.isActive();
		Instant updated = active ? (phase.isLive() ? call.startedAt() : call.endedAt())
				: call.endedAt().plus(this.context.settings.wrapUp());
		Map<String, Object> details = Json.object("sid", call.sid(), "direction", call.inbound() ? "inbound" : "outbound",
				"virtual_number", call.exophone(), "state", active ? "active" : "terminal", "status",
				active ? null : call.outcome().v3Status);
		if (!active) {
			details.put("legs", "/v3/accounts/" + call.accountSid() + "/calls/" + call.sid() + "/legs");
		}
		details.put("created_time", ExotelTime.v3(call.createdAt()));
		details.put("updated_time", ExotelTime.v3(updated));
		details.put("start_time", ExotelTime.v3(call.startedAt()));
		details.put("end_time", active ? ExotelTime.V3_PLACEHOLDER : ExotelTime.v3(call.endedAt()));
		if (!active) {
			details.put("total_duration", call.durationSeconds());
			details.put("total_talk_time", call.conversationSeconds());
			details.put("custom_field", call.customField());
			details.put("app_id", call.appId());
			details.put("app_name", call.appName());
			details.put("digits", call.digits());
			boolean recorded = "available".equals(this.context.recordingState(call, now));
			details.put("recordings", recorded ? List.of(Json.object("url", this.context.privateRecordingUrl(call))) : List.of());
		}
		return details;
	}

	private SandboxCall find(SandboxAccount account, String callSid, Instant now) {
		SandboxCall call = this.context.store.find(account.sid(), callSid, now);
		if (call == null) {
			throw ApiError.notFound("Call " + callSid + " not found");
		}
		return call;
	}

	private static SandboxResponse ok(String method, Map<String, Object> response) {
		return SandboxResponse.json(200, Json.write(Json.object("request_id", requestId(), "method", method,
				"http_code", 200, "response", response)));
	}

	private static JsonNode body(SandboxRequest request) {
		try {
			JsonNode body = Json.read(request.body());
			if (body == null || !body.isObject()) {
				throw ApiError.badRequest("The request body must be a JSON object");
			}
			return body;
		}
		catch (ApiError ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw ApiError.badRequest("The request body is not valid JSON");
		}
	}

	private static String text(JsonNode body, String field) {
		JsonNode node = body.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw ApiError.badRequest(field + " must be a string");
		}
		return node.asString();
	}

	private static Instant isoTime(JsonNode body, String field) {
		String text = text(body, field);
		if (text == null) {
			throw ApiError.badRequest(field + " is required");
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (RuntimeException ex) {
			throw ApiError.badRequest(field + " must be an ISO-8601 time such as 2024-06-01T00:00:00Z");
		}
	}

	static String format(String value) {
		if (value == null || value.equals("mp3")) {
			return "mp3";
		}
		if (value.equals("wav")) {
			return "wav";
		}
		throw ApiError.badRequest("format must be mp3 or wav");
	}

	static String channel(String value) {
		if (value == null || value.equals("single")) {
			return "single";
		}
		if (value.equals("dual")) {
			return "dual";
		}
		throw ApiError.badRequest("channel must be single or dual");
	}

	static String requestId() {
		return UUID.randomUUID().toString().replace("-", "");
	}

	private static String reason(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 429 -> "Too Many Requests";
			default -> (status >= 500) ? "Internal Server Error" : "Error";
		};
	}

}
