package io.exogate.sandbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** v4 contact-center voicelogs: offset pages of ended calls, and one call with its timeline. */
final class V4Api {

	static final int MAX_LIMIT = 100;

	static final int DEFAULT_LIMIT = 20;

	private static final Set<String> STATUSES = Set.of("completed", "missed", "abandoned", "failed", "busy");

	private static final Comparator<SandboxCall> OLDEST_FIRST = Comparator.comparing(SandboxCall::startedAt)
		.thenComparing(SandboxCall::sid);

	private final SandboxContext context;

	V4Api(SandboxContext context) {
		this.context = context;
	}

	/** {@code GET /v4/accounts/{sid}/voicelogs}. */
	SandboxResponse list(SandboxRequest request, SandboxAccount account) {
		Instant start = time(request.param("start_time"), "start_time");
		Instant end = time(request.param("end_time"), "end_time");
		if (start != null && end != null && start.isAfter(end)) {
			throw ApiError.badRequest("start_time must not be after end_time");
		}
		String agentId = request.param("agent_id");
		if (agentId != null && !agentId.matches("[A-Za-z0-9_.@-]{1,64}")) {
			throw ApiError.badRequest("Invalid agent_id");
		}
		String direction = request.param("direction");
		if (direction != null && !direction.equals("inbound") && !direction.equals("outbound")) {
			throw ApiError.badRequest("direction must be inbound or outbound");
		}
		String status = request.param("status");
		if (status != null && !STATUSES.contains(status)) {
			throw ApiError.badRequest("status must be one of " + STATUSES);
		}
		int limit = number(request.param("limit"), "limit", DEFAULT_LIMIT);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ApiError.badRequest("limit must be between 1 and " + MAX_LIMIT);
		}
		int offset = number(request.param("offset"), "offset", 0);
		if (offset < 0) {
			throw ApiError.badRequest("offset cannot be negative");
		}
		String sortBy = request.param("sort_by");
		if (sortBy != null && !sortBy.equals("date:asc") && !sortBy.equals("date:desc")) {
			throw ApiError.badRequest("sort_by must be date:asc or date:desc");
		}
		Instant now = this.context.now();
		List<SandboxCall> matching = new ArrayList<>();
		for (SandboxCall call : this.context.store.calls(account.sid(), now)) {
			if (this.context.phase(call, now).isLive()) {
				continue;
			}
			if ((start != null && call.startedAt().isBefore(start)) || (end != null && call.startedAt().isAfter(end))
					|| (agentId != null && !agentId.equals(call.agentId()))
					|| (direction != null && call.inbound() != direction.equals("inbound"))
					|| (status != null && !status.equals(call.outcome().v4Status))) {
				continue;
			}
			matching.add(call);
		}
		matching.sort("date:asc".equals(sortBy) ? OLDEST_FIRST : OLDEST_FIRST.reversed());
		List<Object> logs = new ArrayList<>();
		int to = (int) Math.min(matching.size(), (long) offset + limit);
		for (int i = offset; i < to; i++) {
			logs.add(voicelog(matching.get(i), now, false));
		}
		return SandboxResponse.json(200, Json.write(Json.object("request_id", V3Api.requestId(), "method", "GET",
				"http_code", 200, "response", Json.object("code", 200, "status", "success", "data",
						Json.object("voicelogs", logs), "metadata", Json.object("total", matching.size(), "limit", limit,
								"offset", offset, "has_next", to < matching.size())))));
	}

	/** {@code GET /v4/accounts/{sid}/voicelogs/{callSid}}. */
	SandboxResponse get(SandboxAccount account, String callSid) {
		Instant now = this.context.now();
		SandboxCall call = this.context.store.find(account.sid(), callSid, now);
		if (call == null || this.context.phase(call, now).isLive()) {
			throw ApiError.notFound("Voicelog " + callSid + " not found");
		}
		return SandboxResponse.json(200, Json.write(Json.object("request_id", V3Api.requestId(), "method", "GET",
				"http_code", 200, "response", Json.object("code", 200, "status", "success", "data",
						voicelog(call, now, true)))));
	}

	private Map<String, Object> voicelog(SandboxCall call, Instant now, boolean withTimeline) {
		Map<String, Object> log = Json.object("call_sid", call.sid(), "direction", call.inbound() ? "inbound" : "outbound",
				"status", call.outcome().v4Status,
				"agent", (call.agentId() != null) ? Json.object("user_id", call.agentId(), "name", call.agentName()) : null,
				"customer", Json.object("number", call.customerNumber(), "name", call.customerName()),
				"exophone", call.exophone(),
				"start_time", ExotelTime.v4(call.startedAt()),
				"end_time", ExotelTime.v4(call.endedAt()),
				"duration", call.durationSeconds(),
				"talk_time", call.talkSeconds(),
				"hold_time", call.holdSeconds());
		if (withTimeline) {
			log.put("timeline", timeline(call));
		}
		String state = this.context.recordingState(call, now);
		if (state.equals("available")) {
			log.put("recording", Json.object("available", true, "url",
					this.context.signedMediaUrl(call, "mp3", "dual", this.context.signedUrlExpiry(now)), "duration",
					call.recordingSeconds(), "channels", "dual"));
		}
		else {
			log.put("recording", Json.object("available", false));
		}
		log.put("disposition", call.disposition());
		log.put("custom_field", call.customField());
		return log;
	}

	private static List<Object> timeline(SandboxCall call) {
		List<Object> events = new ArrayList<>();
		Instant t = call.startedAt();
		events.add(event("call_initiated", call.createdAt()));
		String firstParty = call.inbound() ? "customer" : "agent";
		String secondParty = call.inbound() ? "agent" : "customer";
		if (call.outcome() == Outcome.FAILED) {
			events.add(event("call_failed", t.plusSeconds(call.ringSeconds())));
		}
		else if (call.outcome() == Outcome.ABANDONED) {
			events.add(event(secondParty + "_ringing", t.plusSeconds(1)));
			events.add(event("customer_hangup", call.endedAt()));
		}
		else {
			events.add(event(secondParty.equals("agent") ? "agent_ringing" : firstParty + "_ringing", t.plusSeconds(1)));
			if (!call.inbound()) {
				events.add(event("agent_answered", t.plusSeconds(Math.max(2, call.ringSeconds() / 3))));
				events.add(event("customer_ringing", t.plusSeconds(Math.max(3, call.ringSeconds() / 3 + 1))));
			}
			if (call.outcome().connected) {
				events.add(event(secondParty + "_answered", call.answeredAt()));
				events.add(event("call_bridged", call.answeredAt().plusSeconds(1)));
				if (call.holdSeconds() > 0) {
					Instant hold = call.answeredAt().plusSeconds(1 + call.talkSeconds() / 2);
					events.add(event("hold_started", hold));
					events.add(event("hold_ended", hold.plusSeconds(call.holdSeconds())));
				}
			}
			else {
				events.add(event(secondParty + (call.outcome() == Outcome.BUSY ? "_busy" : "_no_answer"),
						t.plusSeconds(call.ringSeconds())));
			}
		}
		events.add(event("call_ended", call.endedAt()));
		events.sort(Comparator.comparing((Object e) -> (String) ((Map<?, ?>) e).get("time")));
		return events;
	}

	private static Map<String, Object> event(String name, Instant at) {
		return Json.object("event", name, "time", ExotelTime.v4(at));
	}

	private static Instant time(String value, String name) {
		if (value == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (RuntimeException ex) {
			throw ApiError.badRequest(name + " must be an ISO-8601 time such as 2024-06-01T00:00:00Z");
		}
	}

	private static int number(String value, String name, int fallback) {
		if (value == null) {
			return fallback;
		}
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw ApiError.badRequest(name + " must be a whole number");
		}
	}

}
