package io.exogate.exotel.v1;

import io.exogate.exotel.PageCursor;
import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.SearchRoute;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A page of a v1 search worked out before any request: its monthly windows in traversal order, its
 * request groups (numbers in E.164, each sent once, fanned out in fives, customer numbers as
 * {@code From} and as {@code To}), the filters Exotel applies and those applied here.
 *
 * @param windows the windows, each within Exotel's one-month limit, in traversal order
 * @param groups each request group's own parameters
 * @param common the parameters every request carries
 * @param descending whether the traversal goes newest first
 * @param backward whether the page was asked for before a cursor
 * @param cursor the cursor the page continues from, or {@code null}
 * @param hasRecording the has-recording filter, or {@code null}
 */
record V1SearchPlan(List<TimeWindow> windows, List<Map<String, String>> groups, Map<String, String> common,
		boolean descending, boolean backward, PageCursor cursor, Boolean hasRecording) {

	/** The time v1 searches order calls by. */
	static final Function<Call, Instant> CREATED = Call::createdAt;

	/** One request may span at most a month: Exotel's own default window, 31 days, is the most it takes. */
	static final Duration MAX_WINDOW = SearchRoute.V1_WINDOW;

	/** Exotel's default when no window is given. */
	static final Duration DEFAULT_WINDOW = Duration.ofDays(31);

	static final int MAX_NUMBERS_PER_REQUEST = SearchRoute.NUMBERS_PER_REQUEST;

	private static final Map<CallStatus, String> STATUSES = Map.of(CallStatus.COMPLETED, "completed", CallStatus.BUSY,
			"busy", CallStatus.NO_ANSWER, "no-answer", CallStatus.FAILED, "failed", CallStatus.CANCELED, "canceled");

	/**
	 * The plan for one page of {@code query} at {@code now}, or {@code null} when the cursor leaves
	 * nothing to search; query numbers are read with {@code numbers}.
	 * @throws BadRequestException for what v1 cannot search or a cursor of another search
	 */
	static V1SearchPlan of(CallQuery query, PageRequest page, Instant now, PhoneNumbers numbers) {
		if (query.needsAgentData()) {
			throw new BadRequestException("Exotel v1 cannot filter by agent; agent searches are answered by v4");
		}
		List<String> statuses = new ArrayList<>();
		for (CallStatus status : query.statuses()) {
			String raw = STATUSES.get(status);
			if (raw == null) {
				throw new BadRequestException("Exotel v1 has no " + status + " status; searches for it are answered by v4");
			}
			statuses.add(raw);
		}
		TimeWindow window = (query.window() != null) ? query.window() : TimeWindow.endingAt(now, DEFAULT_WINDOW);
		window.requireWithinRetention(now);
		boolean backward = page.before() != null;
		PageCursor cursor = PageCursor.decode(backward ? page.before() : page.after());
		if (cursor != null && cursor.version() != ApiVersion.V1) {
			throw new BadRequestException("The cursor belongs to another search; start again without it");
		}
		boolean descending = (query.sort() == CallSort.NEWEST_FIRST) != backward;
		Instant from = window.from();
		Instant to = window.to();
		if (cursor != null) {
			if (descending) {
				Instant bound = cursor.at().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
				to = bound.isBefore(to) ? bound : to;
			}
			else {
				Instant bound = cursor.at().truncatedTo(ChronoUnit.SECONDS);
				from = bound.isAfter(from) ? bound : from;
			}
		}
		if (!from.isBefore(to)) {
			return null;
		}
		Map<String, String> common = new LinkedHashMap<>();
		if (!statuses.isEmpty()) {
			common.put("Status", String.join(",", statuses));
		}
		if (query.direction() != null) {
			common.put("Direction", (query.direction() == CallDirection.INBOUND) ? "inbound" : "outbound-dial,outbound-api");
		}
		String duration = bounds(query.minDuration() != null ? query.minDuration().getSeconds() + "s" : null,
				query.maxDuration() != null ? query.maxDuration().getSeconds() + "s" : null);
		if (duration != null) {
			common.put("Duration", duration);
		}
		String price = bounds(query.minPrice() != null ? query.minPrice().toPlainString() : null,
				query.maxPrice() != null ? query.maxPrice().toPlainString() : null);
		if (price != null) {
			common.put("Price", price);
		}
		return new V1SearchPlan(windows(from, to, descending), groups(query, numbers), Collections.unmodifiableMap(common), descending,
				backward, cursor, query.hasRecording());
	}

	/** The request for one window and one group, asking for pages of {@code pageSize}. */
	QueryString request(TimeWindow window, Map<String, String> group, int pageSize) {
		Instant last = window.to().minusNanos(1).truncatedTo(ChronoUnit.SECONDS);
		return new QueryString()
			.with("DateCreated", "gte:" + WireValues.v1Time(window.from()) + ";lte:" + WireValues.v1Time(last))
			.withAll(this.common)
			.withAll(group)
			.with("PageSize", pageSize)
			.with("SortBy", this.descending ? "DateCreated:desc" : "DateCreated:asc");
	}

	/** Whether a call of {@code page} lies beyond the cursor and passes what v1 cannot filter itself (has-recording). */
	boolean keeps(Call call, V1Pages.Page page) {
		return (this.cursor == null || this.cursor.isBeyond(call, CREATED, this.descending, this.backward))
				&& (this.hasRecording == null || this.hasRecording == page.recorded().contains(call.sid()));
	}

	/** Whether Exotel's total is the search's: one window, one request, no cursor, nothing filtered here. */
	boolean totalIsExact() {
		return this.cursor == null && this.windows.size() == 1 && this.groups.size() == 1 && this.hasRecording == null;
	}

	private static List<TimeWindow> windows(Instant from, Instant to, boolean descending) {
		List<TimeWindow> windows = new ArrayList<>();
		if (descending) {
			for (Instant end = to; end.isAfter(from); end = end.minus(MAX_WINDOW)) {
				Instant start = end.minus(MAX_WINDOW).isAfter(from) ? end.minus(MAX_WINDOW) : from;
				windows.add(new TimeWindow(start, end));
			}
		}
		else {
			for (Instant start = from; start.isBefore(to); start = start.plus(MAX_WINDOW)) {
				Instant end = start.plus(MAX_WINDOW).isBefore(to) ? start.plus(MAX_WINDOW) : to;
				windows.add(new TimeWindow(start, end));
			}
		}
		return List.copyOf(windows);
	}

	/** Request groups of at most five numbers each, sent in E.164 as Exotel's docs ask, however they were written. */
	private static List<Map<String, String>> groups(CallQuery query, PhoneNumbers phoneNumbers) {
		List<Map<String, String>> customerGroups = new ArrayList<>();
		for (List<String> numbers : fives(phoneNumbers.forV1Filter(query.customerNumbers()))) {
			String joined = String.join(",", numbers);
			if (query.direction() != CallDirection.OUTBOUND) {
				customerGroups.add(Map.of("From", joined));
			}
			if (query.direction() != CallDirection.INBOUND) {
				customerGroups.add(Map.of("To", joined));
			}
		}
		if (customerGroups.isEmpty()) {
			customerGroups.add(Map.of());
		}
		List<Map<String, String>> exophoneGroups = new ArrayList<>();
		for (List<String> numbers : fives(phoneNumbers.forV1Filter(query.exophones()))) {
			exophoneGroups.add(Map.of("PhoneNumber", String.join(",", numbers)));
		}
		if (exophoneGroups.isEmpty()) {
			exophoneGroups.add(Map.of());
		}
		List<Map<String, String>> groups = new ArrayList<>();
		for (Map<String, String> customer : customerGroups) {
			for (Map<String, String> exophone : exophoneGroups) {
				Map<String, String> group = new LinkedHashMap<>(customer);
				group.putAll(exophone);
				groups.add(Collections.unmodifiableMap(group));
			}
		}
		return List.copyOf(groups);
	}

	private static List<List<String>> fives(List<String> values) {
		List<List<String>> batches = new ArrayList<>();
		for (int i = 0; i < values.size(); i += MAX_NUMBERS_PER_REQUEST) {
			batches.add(values.subList(i, Math.min(values.size(), i + MAX_NUMBERS_PER_REQUEST)));
		}
		return batches;
	}

	private static String bounds(String min, String max) {
		if (min != null && max != null) {
			return "gte:" + min + ";lte:" + max;
		}
		if (min != null) {
			return "gte:" + min;
		}
		return (max != null) ? "lte:" + max : null;
	}

}
