package io.exogate.sandbox;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** v1 Calls: bulk call details with filters and cursors, and call details by SID, in JSON or XML. */
final class V1Api {

	static final int MAX_NUMBERS = 5;

	static final int MAX_SIDS = 100;

	static final int MAX_PAGE_SIZE = 100;

	static final int DEFAULT_PAGE_SIZE = 50;

	static final Duration MAX_RANGE = Duration.ofDays(31);

	private static final Set<String> STATUSES = Set.of("queued", "ringing", "in-progress", "completed", "failed", "busy",
			"no-answer", "canceled", "cancelled");

	private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound-dial", "outbound-api");

	private static final List<String> FILTER_ORDER = List.of("DateCreated", "To", "From", "PhoneNumber", "Status",
			"Duration", "Price", "Direction", "Sid", "details");

	private static final Comparator<SandboxCall> OLDEST_FIRST = Comparator.comparing(SandboxCall::createdAt)
		.thenComparing(SandboxCall::sid);

	private final SandboxContext context;

	V1Api(SandboxContext context) {
		this.context = context;
	}

	/** {@code GET /v1/Accounts/{sid}/Calls(.json)}. */
	SandboxResponse list(SandboxRequest request, SandboxAccount account, boolean json) {
		Instant now = this.context.now();
		int pageSize = pageSize(request.param("PageSize"));
		boolean ascending = ascending(request.param("SortBy"));
		boolean details = "true".equalsIgnoreCase(request.param("details"));
		Predicate<SandboxCall> filter = filter(request, now);
		String after = request.param("After");
		String before = request.param("Before");
		if (after != null && before != null) {
			throw ApiError.badRequest("Only one of Before and After may be given");
		}
		Comparator<SandboxCall> order = ascending ? OLDEST_FIRST : OLDEST_FIRST.reversed();
		List<SandboxCall> matching = new ArrayList<>();
		for (SandboxCall call : this.context.store.calls(account.sid(), now)) {
			if (!this.context.phase(call, now).isLive() && filter.test(call)) {
				matching.add(call);
			}
		}
		matching.sort(order);
		int from;
		int to;
		if (after != null) {
			SandboxCall cursor = decodeCursor(after);
			from = firstAfter(matching, cursor, order);
			to = Math.min(matching.size(), from + pageSize);
		}
		else if (before != null) {
			SandboxCall cursor = decodeCursor(before);
			to = firstAfter(matching, cursor, order);
			while (to > 0 && order.compare(matching.get(to - 1), cursor) >= 0) {
				to--;
			}
			from = Math.max(0, to - pageSize);
		}
		else {
			from = 0;
			to = Math.min(matching.size(), pageSize);
		}
		List<SandboxCall> page = matching.subList(from, to);
		String base = "/v1/Accounts/" + account.sid() + "/Calls" + (json ? ".json" : "") + "?"
				+ baseQuery(request, pageSize, ascending);
		Map<String, Object> metadata = Json.object(
				"Total", matching.size(),
				"PageSize", page.size(),
				"FirstPageUri", base,
				"PrevPageUri", (!page.isEmpty() && from > 0) ? base + "&Before=" + encode(cursor(page.get(0))) : null,
				"NextPageUri", (!page.isEmpty() && to < matching.size()) ? base + "&After=" + encode(cursor(page.get(page.size() - 1))) : null);
		List<Object> calls = new ArrayList<>();
		page.forEach((call) -> calls.add(render(call, now, details, null)));
		Map<String, Object> body = Json.object("Metadata", metadata, "Calls", calls);
		return json ? SandboxResponse.json(200, Json.write(body)) : SandboxResponse.xml(200, Xml.document(body));
	}

	/** {@code GET /v1/Accounts/{sid}/Calls/{callSid}(.json)}. */
	SandboxResponse get(SandboxRequest request, SandboxAccount account, String callSid, boolean json) {
		Instant now = this.context.now();
		Duration validity = validity(request.param("RecordingUrlValidity"));
		SandboxCall call = this.context.store.find(account.sid(), callSid, now);
		if (call == null) {
			throw ApiError.notFound("Call " + callSid + " not found");
		}
		boolean details = "true".equalsIgnoreCase(request.param("details"));
		Map<String, Object> body = Json.object("Call", render(call, now, details, validity));
		return json ? SandboxResponse.json(200, Json.write(body)) : SandboxResponse.xml(200, Xml.document(body));
	}

	/** A v1 error body, JSON or XML. */
	static SandboxResponse error(int status, String message, boolean json) {
		Map<String, Object> body = Json.object("RestException",
				Json.object("Status", status, "Message", message, "Code", status == 429 ? "RATE_LIMIT_EXCEEDED" : null));
		return json ? SandboxResponse.json(status, Json.write(body)) : SandboxResponse.xml(status, Xml.document(body));
	}

	private Map<String, Object> render(SandboxCall call, Instant now, boolean details, Duration presignedValidity) {
		SandboxCall.CallPhase phase = this.context.phase(call, now);
		boolean settled = phase == SandboxCall.CallPhase.TERMINAL;
		boolean recordingReady = "available".equals(this.context.recordingState(call, now));
		Object empty = call.emptyAsNull() ? null : "";
		String status = switch (phase) {
			case RINGING -> "ringing";
			case IN_PROGRESS -> "in-progress";
			default -> call.v1Status();
		};
		Instant updated = settled ? call.endedAt().plus(this.context.settings.wrapUp())
				: (phase.isLive() ? (call.answeredAt() != null && !now.isBefore(call.answeredAt()) ? call.answeredAt() : call.startedAt())
						: call.endedAt());
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("Sid", call.sid());
		map.put("ParentCallSid", empty);
		map.put("DateCreated", ExotelTime.v1(call.createdAt()));
		map.put("DateUpdated", ExotelTime.v1(updated));
		map.put("AccountSid", call.accountSid());
		map.put("To", written(call, call.to()));
		map.put("From", written(call, call.from()));
		map.put("PhoneNumberSid", written(call, call.exophone()));
		map.put("Status", status);
		map.put("StartTime", ExotelTime.v1(call.startedAt()));
		map.put("EndTime", settled ? ExotelTime.v1(call.endedAt()) : ExotelTime.V1_PLACEHOLDER);
		map.put("Duration", settled ? (call.numericFields() ? call.durationSeconds() : String.valueOf(call.durationSeconds())) : empty);
		map.put("Price", settled ? (call.numericFields() ? call.price() : call.price().toPlainString()) : empty);
		map.put("Direction", call.v1Direction());
		map.put("AnsweredBy", call.outcome().connected && settled ? (call.numericFields() ? "HUMAN" : "human") : empty);
		map.put("ForwardedFrom", "");
		map.put("CallerName", "");
		map.put("Uri", "/v1/Accounts/" + call.accountSid() + "/Calls/" + call.sid());
		map.put("RecordingUrl", recordingReady ? this.context.privateRecordingUrl(call) : empty);
		if (presignedValidity != null) {
			map.put("PreSignedRecordingUrl", recordingReady
					? this.context.signedMediaUrl(call, "mp3", "single", now.plus(presignedValidity).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
					: empty);
		}
		if (details) {
			map.put("Details", details(call, phase));
		}
		return map;
	}

	private static Map<String, Object> details(SandboxCall call, SandboxCall.CallPhase phase) {
		boolean ended = !phase.isLive();
		int leg1 = call.outcome().leg1Status.equals("completed") ? call.durationSeconds() : 0;
		int leg2 = call.conversationSeconds();
		List<Object> legs = List.of(Json.object("Leg", Json.object("Id", 1, "OnCallDuration", ended ? leg1 : 0)),
				Json.object("Leg", Json.object("Id", 2, "OnCallDuration", ended ? leg2 : 0)));
		return Json.object("ConversationDuration", ended ? call.conversationSeconds() : 0,
				"Leg1Status", ended ? call.outcome().leg1Status : null,
				"Leg2Status", ended ? call.outcome().leg2Status : null,
				"Legs", legs);
	}

	private Predicate<SandboxCall> filter(SandboxRequest request, Instant now) {
		List<Predicate<SandboxCall>> predicates = new ArrayList<>();
		Instant retention = now.atZone(ExotelTime.IST).minusMonths(6).toInstant();
		String sids = request.param("Sid");
		String dateCreated = request.param("DateCreated");
		Instant gte;
		Instant lte;
		if (dateCreated != null) {
			Conditions<Instant> dates = Conditions.parse("DateCreated", dateCreated, List.of("gte", "lte"), ExotelTime::parseV1);
			gte = dates.bound("gte");
			lte = dates.bound("lte");
			if (gte == null && lte == null) {
				throw ApiError.badRequest("DateCreated needs gte: or lte:");
			}
			if (lte == null) {
				lte = now;
			}
			if (gte == null) {
				gte = lte.minus(MAX_RANGE);
			}
		}
		else if (sids == null) {
			lte = now;
			gte = now.minus(MAX_RANGE);
		}
		else {
			lte = now;
			gte = retention;
		}
		if (gte.isAfter(lte)) {
			throw ApiError.badRequest("DateCreated gte must not be after lte");
		}
		if (dateCreated != null && Duration.between(gte, lte).compareTo(MAX_RANGE) > 0) {
			throw ApiError.badRequest("DateCreated range cannot be more than 1 month");
		}
		if (gte.isBefore(retention)) {
			throw ApiError.badRequest("Call records can only be queried up to 6 months old");
		}
		Instant from = gte;
		Instant until = lte;
		predicates.add((call) -> !call.createdAt().isBefore(from) && !call.createdAt().isAfter(until));
		numbers(request, "To", predicates, SandboxCall::to);
		numbers(request, "From", predicates, SandboxCall::from);
		numbers(request, "PhoneNumber", predicates, SandboxCall::exophone);
		String status = request.param("Status");
		if (status != null) {
			Set<String> wanted = new java.util.HashSet<>();
			for (String value : status.split(",", -1)) {
				if (!STATUSES.contains(value)) {
					throw ApiError.badRequest("Invalid Status '" + value + "'");
				}
				wanted.add(value.equals("cancelled") ? "canceled" : value);
			}
			predicates.add((call) -> wanted.contains(call.v1Status().equals("cancelled") ? "canceled" : call.v1Status()));
		}
		String direction = request.param("Direction");
		if (direction != null) {
			List<String> wanted = List.of(direction.split(",", -1));
			if (!DIRECTIONS.containsAll(wanted)) {
				throw ApiError.badRequest("Invalid Direction '" + direction + "'");
			}
			predicates.add((call) -> wanted.contains(call.v1Direction()));
		}
		String duration = request.param("Duration");
		if (duration != null) {
			Conditions<Integer> conditions = Conditions.parse("Duration", duration, List.of("gte", "lte", "eq"),
					(value) -> Integer.valueOf(value.matches("[0-9]{1,7}s?") ? value.replace("s", "") : "x"));
			predicates.add((call) -> this.context.phase(call, now) == SandboxCall.CallPhase.TERMINAL
					&& conditions.test(call.durationSeconds()));
		}
		String price = request.param("Price");
		if (price != null) {
			Conditions<BigDecimal> conditions = Conditions.parse("Price", price, List.of("gte", "lte", "eq"),
					(value) -> new BigDecimal(value.matches("[0-9]{1,9}(\\.[0-9]{1,6})?") ? value : "x"));
			predicates.add((call) -> this.context.phase(call, now) == SandboxCall.CallPhase.TERMINAL
					&& conditions.test(call.price()));
		}
		if (sids != null) {
			List<String> wanted = List.of(sids.split(",", -1));
			if (wanted.size() > MAX_SIDS) {
				throw ApiError.badRequest("Sid accepts at most " + MAX_SIDS + " values");
			}
			for (String sid : wanted) {
				if (!sid.matches("[A-Za-z0-9]{1,64}")) {
					throw ApiError.badRequest("Invalid Sid '" + sid + "'");
				}
			}
			Set<String> set = Set.copyOf(wanted);
			predicates.add((call) -> set.contains(call.sid()));
		}
		return (call) -> predicates.stream().allMatch((predicate) -> predicate.test(call));
	}

	private static void numbers(SandboxRequest request, String name, List<Predicate<SandboxCall>> predicates,
			java.util.function.Function<SandboxCall, String> field) {
		String value = request.param(name);
		if (value == null) {
			return;
		}
		List<String> numbers = List.of(value.split(",", -1));
		if (numbers.size() > MAX_NUMBERS) {
			throw ApiError.badRequest(name + " accepts at most " + MAX_NUMBERS + " numbers");
		}
		for (String number : numbers) {
			if (!number.matches("\\+?[0-9]{6,15}")) {
				throw ApiError.badRequest("Invalid " + name + " number '" + number + "'");
			}
		}
		Set<String> set = numbers.stream().map(V1Api::sameNumber).collect(java.util.stream.Collectors.toSet());
		predicates.add((call) -> set.contains(sameNumber(field.apply(call))));
	}

	/** A number as v1 shows it on this call: national ({@code 09812345678}) or E.164. */
	private static String written(SandboxCall call, String e164) {
		return (call.nationalNumbers() && e164.startsWith("+91")) ? "0" + e164.substring(3) : e164;
	}

	/**
	 * What Exotel compares when it filters by number: the number with its country code, however it
	 * was written ({@code +919812345678}, {@code 919812345678}, {@code 09812345678}, {@code 9812345678}).
	 * Numbers without a country code are Indian.
	 */
	static String sameNumber(String number) {
		if (number.startsWith("+")) {
			return number.substring(1);
		}
		if (number.startsWith("00")) {
			return number.substring(2);
		}
		if (number.startsWith("0")) {
			return "91" + number.substring(1);
		}
		return (number.length() == 10) ? "91" + number : number;
	}

	private static int pageSize(String value) {
		if (value == null) {
			return DEFAULT_PAGE_SIZE;
		}
		int size;
		try {
			size = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw ApiError.badRequest("PageSize must be a number");
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw ApiError.badRequest("PageSize must be between 1 and " + MAX_PAGE_SIZE);
		}
		return size;
	}

	private static boolean ascending(String sortBy) {
		if (sortBy == null || sortBy.equals("DateCreated:desc")) {
			return false;
		}
		if (sortBy.equals("DateCreated:asc")) {
			return true;
		}
		throw ApiError.badRequest("SortBy must be DateCreated:asc or DateCreated:desc");
	}

	private static Duration validity(String value) {
		if (value == null) {
			return Duration.ofMinutes(5);
		}
		int minutes;
		try {
			minutes = Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw ApiError.badRequest("RecordingUrlValidity must be a whole number of minutes from 5 to 60");
		}
		if (minutes < 5 || minutes > 60) {
			throw ApiError.badRequest("RecordingUrlValidity must be between 5 and 60 minutes");
		}
		return Duration.ofMinutes(minutes);
	}

	private static String baseQuery(SandboxRequest request, int pageSize, boolean ascending) {
		StringBuilder query = new StringBuilder("PageSize=").append(pageSize);
		for (String name : FILTER_ORDER) {
			String value = request.param(name);
			if (value != null) {
				query.append('&').append(name).append('=').append(encode(value));
			}
		}
		return query.append("&SortBy=DateCreated:").append(ascending ? "asc" : "desc").toString();
	}

	private static int firstAfter(List<SandboxCall> sorted, SandboxCall cursor, Comparator<SandboxCall> order) {
		int low = 0;
		int high = sorted.size();
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (order.compare(sorted.get(mid), cursor) <= 0) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return low;
	}

	static String cursor(SandboxCall call) {
		return Base64.getEncoder()
			.encodeToString((call.createdAt().getEpochSecond() + "," + call.sid()).getBytes(StandardCharsets.UTF_8));
	}

	private static SandboxCall decodeCursor(String cursor) {
		try {
			String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
			int comma = decoded.indexOf(',');
			Instant created = Instant.ofEpochSecond(Long.parseLong(decoded.substring(0, comma)));
			String sid = decoded.substring(comma + 1);
			if (!sid.matches("[A-Za-z0-9]{1,64}")) {
				throw new IllegalArgumentException();
			}
			return new SandboxCall(sid, null, false, null, null, null, created, created, null, created, 0, 0, 0, null,
					null, null, null, null, null, null, false, false, false, false, null, null, null, null, null);
		}
		catch (RuntimeException ex) {
			throw ApiError.badRequest("Invalid page cursor");
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
