package io.exogate.exotel.v1;

import io.exogate.exotel.CallSids;
import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.PageCursor;
import io.exogate.exotel.PagedScan;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.Upstream;
import io.exogate.exotel.WireJson;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Exotel v1 Calls: call details by SID (with legs), SID lookups in batches of 100 through the
 * {@code Sid} filter, pre-signed recording URLs, and call search. A search splits windows longer
 * than a month into monthly requests, fans more than five numbers (and customer numbers, which
 * may be {@code To} or {@code From}) out into several requests merged in order without duplicates,
 * and follows {@code NextPageUri}. Nothing is sent before subscription.
 */
public final class V1Client {

	/** Exotel answers at most this many calls per page and accepts at most this many SIDs. */
	static final int MAX_PAGE = 100;

	/** One request may span at most a month: Exotel's own default window, 31 days, is the most it takes. */
	static final Duration MAX_WINDOW = Duration.ofDays(31);

	/** Exotel's default when no window is given. */
	static final Duration DEFAULT_WINDOW = Duration.ofDays(31);

	static final int MAX_NUMBERS_PER_REQUEST = 5;

	/** A page scan stops after this many upstream pages per request group (filters applied here). */
	static final int MAX_PAGES_PER_GROUP = 10;

	private static final Function<Call, Instant> CREATED = Call::createdAt;

	private static final Map<CallStatus, String> STATUSES = Map.of(CallStatus.COMPLETED, "completed", CallStatus.BUSY,
			"busy", CallStatus.NO_ANSWER, "no-answer", CallStatus.FAILED, "failed", CallStatus.CANCELED, "canceled");

	private final ExotelConnections connections;

	private final Clock clock;

	public V1Client(ExotelConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
	}

	/** One call with its legs. */
	public Mono<Call> call(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			String path = new QueryString().with("details", "true").appendTo(callPath(accountSid, sid));
			return upstream.get("calls.get", path).map((body) -> single(body, accountSid));
		});
	}

	/** Many calls by SID, 100 per request through the {@code Sid} filter; unknown SIDs are left out. */
	public Flux<Call> calls(String accountSid, Collection<String> callSids) {
		return Flux.defer(() -> {
			List<String> sids = CallSids.requireAll(callSids);
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			List<List<String>> batches = chunks(sids, MAX_PAGE);
			return Flux.fromIterable(batches).concatMap((batch) -> {
				String path = new QueryString().with("Sid", String.join(",", batch))
					.with("PageSize", MAX_PAGE)
					.with("details", "true")
					.appendTo(listPath(accountSid));
				return pages(upstream, accountSid, path).concatMapIterable(Page::calls);
			});
		});
	}

	/**
	 * The call's recording as a v1 pre-signed URL, valid for the account's configured
	 * {@code presigned-url-validity}; its expiry is the earlier of that and what the URL states.
	 */
	public Mono<Recording> presignedRecording(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			Duration validity = this.connections.account(accountSid).presignedUrlValidity();
			Instant asked = this.clock.instant();
			String path = new QueryString().with("RecordingUrlValidity", validity.toMinutes()).appendTo(callPath(accountSid, sid));
			return this.connections.upstream(accountSid, ApiVersion.V1).get("calls.get", path).map((body) -> {
				V1CallResource wire = WireJson.read(body, V1CallsPage.Single.class).call();
				String url = (wire != null) ? WireValues.text(wire.preSignedRecordingUrl()) : null;
				if (url == null) {
					return Recording.unavailable(sid, RecordingStatus.NOT_AVAILABLE, RecordingFormat.MP3, RecordingChannel.SINGLE);
				}
				Instant expiry = asked.plus(validity).truncatedTo(ChronoUnit.SECONDS);
				Instant stated = WireValues.expiryInUrl(url);
				if (stated != null && stated.isBefore(expiry)) {
					expiry = stated;
				}
				Call call = V1Mapper.toCall(wire, accountSid);
				return new Recording(sid, RecordingStatus.AVAILABLE, new SignedUrl(URI.create(url), expiry), RecordingFormat.MP3,
						RecordingChannel.SINGLE, null, null, call.endedAt());
			});
		});
	}

	/** One page of a search, continuing after or before the page request's cursor. */
	public Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page) {
		return Mono.defer(() -> {
			Plan plan = plan(accountSid, query, page);
			if (plan == null) {
				return Mono.just(new CallPage(List.of(), null, null, 0L));
			}
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			return PagedScan.<Call, Integer>collect(0, (index, wanted) -> window(upstream, accountSid, plan, index, wanted), page.size(),
					plan.chunks.size())
				.map((scanned) -> {
					boolean single = plan.cursor == null && plan.chunks.size() == 1 && plan.groups.size() == 1
							&& query.hasRecording() == null;
					return PageCursor.page(ApiVersion.V1, scanned.items(), page.size(), plan.backward, plan.cursor != null,
							scanned.more(), CREATED, single ? scanned.total() : null);
				});
		});
	}

	private Plan plan(String accountSid, CallQuery query, PageRequest page) {
		this.connections.account(accountSid);
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
		Instant now = this.clock.instant();
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
		List<TimeWindow> chunks = new ArrayList<>();
		if (descending) {
			for (Instant end = to; end.isAfter(from); end = end.minus(MAX_WINDOW)) {
				Instant start = end.minus(MAX_WINDOW).isAfter(from) ? end.minus(MAX_WINDOW) : from;
				chunks.add(new TimeWindow(start, end));
			}
		}
		else {
			for (Instant start = from; start.isBefore(to); start = start.plus(MAX_WINDOW)) {
				Instant end = start.plus(MAX_WINDOW).isBefore(to) ? start.plus(MAX_WINDOW) : to;
				chunks.add(new TimeWindow(start, end));
			}
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
		List<Map<String, String>> groups = groups(query);
		Predicate<Call> beyondCursor = (cursor != null) ? (call) -> cursor.isBeyond(call, CREATED, descending, backward) : (call) -> true;
		return new Plan(chunks, groups, common, descending, backward, cursor, beyondCursor, query.hasRecording());
	}

	private static List<Map<String, String>> groups(CallQuery query) {
		List<Map<String, String>> customerGroups = new ArrayList<>();
		for (List<String> chunk : chunks(query.customerNumbers(), MAX_NUMBERS_PER_REQUEST)) {
			String numbers = String.join(",", chunk);
			if (query.direction() != CallDirection.OUTBOUND) {
				customerGroups.add(Map.of("From", numbers));
			}
			if (query.direction() != CallDirection.INBOUND) {
				customerGroups.add(Map.of("To", numbers));
			}
		}
		if (customerGroups.isEmpty()) {
			customerGroups.add(Map.of());
		}
		List<Map<String, String>> exophoneGroups = new ArrayList<>();
		for (List<String> chunk : chunks(query.exophones(), MAX_NUMBERS_PER_REQUEST)) {
			exophoneGroups.add(Map.of("PhoneNumber", String.join(",", chunk)));
		}
		if (exophoneGroups.isEmpty()) {
			exophoneGroups.add(Map.of());
		}
		List<Map<String, String>> groups = new ArrayList<>();
		for (Map<String, String> customer : customerGroups) {
			for (Map<String, String> exophone : exophoneGroups) {
				Map<String, String> group = new LinkedHashMap<>(customer);
				group.putAll(exophone);
				groups.add(group);
			}
		}
		return groups;
	}

	/**
	 * One monthly window of the search as a page of the window-by-window scan: up to {@code wanted}
	 * calls from each request group, merged in order without duplicates. The scan moves on to the
	 * next window only when every group ran out inside this one.
	 */
	private Mono<PagedScan.Page<Call, Integer>> window(Upstream upstream, String accountSid, Plan plan, int index, int wanted) {
		TimeWindow chunk = plan.chunks.get(index);
		return Flux.fromIterable(plan.groups)
			.flatMapSequential((group) -> {
				String path = chunkQuery(plan, chunk, group, Math.min(MAX_PAGE, wanted)).appendTo(listPath(accountSid));
				return PagedScan.<Call, String>collect(path, (next, stillWanted) -> fetchPage(upstream, accountSid, next)
					.map((page) -> PagedScan.Page.of(page.calls.stream().filter((call) -> plan.beyondCursor.test(call) && plan.keeps(call, page))
						.toList(), page.total, page.next)), wanted, MAX_PAGES_PER_GROUP);
			}, 4)
			.collectList()
			.map((groups) -> {
				List<Call> merged = distinct(groups.stream().flatMap((group) -> group.items().stream())
					.sorted(PageCursor.order(CREATED, plan.descending))
					.toList());
				boolean groupsMore = groups.stream().anyMatch(PagedScan.Result::more);
				Long total = (groups.size() == 1) ? groups.get(0).total() : null;
				Integer next = (!groupsMore && index + 1 < plan.chunks.size()) ? index + 1 : null;
				return new PagedScan.Page<>(merged, total, next, groupsMore || next != null);
			});
	}

	/** The calls in order, each SID's first occurrence only. */
	private static List<Call> distinct(List<Call> calls) {
		Set<String> seen = new HashSet<>();
		return calls.stream().filter((call) -> seen.add(call.sid())).toList();
	}

	private Flux<Page> pages(Upstream upstream, String accountSid, String path) {
		return fetchPage(upstream, accountSid, path)
			.expand((page) -> (page.next != null) ? fetchPage(upstream, accountSid, page.next) : Mono.empty());
	}

	private Mono<Page> fetchPage(Upstream upstream, String accountSid, String path) {
		return upstream.get("calls.list", path).map((body) -> {
			V1CallsPage wire = WireJson.read(body, V1CallsPage.class);
			List<Call> calls = new ArrayList<>();
			Set<String> recorded = new HashSet<>();
			if (wire.calls() != null) {
				for (V1CallResource call : wire.calls()) {
					calls.add(V1Mapper.toCall(call, accountSid));
					if (WireValues.text(call.recordingUrl()) != null) {
						recorded.add(call.sid());
					}
				}
			}
			String next = (wire.metadata() != null) ? WireValues.text(wire.metadata().nextPageUri()) : null;
			if (next != null && calls.isEmpty()) {
				next = null;
			}
			if (next != null && !next.startsWith(listPath(accountSid) + "?") && !next.startsWith(listPath(accountSid).replace(".json", "") + "?")) {
				throw new UpstreamUnavailableException("Exotel v1 pointed the next page outside this account's calls");
			}
			Long total = null;
			if (wire.metadata() != null && WireValues.text(wire.metadata().total()) != null) {
				total = Long.parseLong(wire.metadata().total().trim());
			}
			return new Page(calls, recorded, next, total);
		});
	}

	private static QueryString chunkQuery(Plan plan, TimeWindow chunk, Map<String, String> group, int pageSize) {
		Instant last = chunk.to().minusNanos(1).truncatedTo(ChronoUnit.SECONDS);
		return new QueryString()
			.with("DateCreated", "gte:" + WireValues.v1Time(chunk.from()) + ";lte:" + WireValues.v1Time(last))
			.withAll(plan.common)
			.withAll(group)
			.with("PageSize", pageSize)
			.with("SortBy", plan.descending ? "DateCreated:desc" : "DateCreated:asc");
	}

	private static Call single(String body, String accountSid) {
		V1CallsPage.Single single = WireJson.read(body, V1CallsPage.Single.class);
		if (single.call() == null) {
			throw new NotFoundException("Exotel v1 returned no call");
		}
		return V1Mapper.toCall(single.call(), accountSid);
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

	private static String listPath(String accountSid) {
		return "/v1/Accounts/" + QueryString.encode(accountSid) + "/Calls.json";
	}

	private static String callPath(String accountSid, String callSid) {
		return "/v1/Accounts/" + QueryString.encode(accountSid) + "/Calls/" + QueryString.encode(callSid) + ".json";
	}

	private static <T> List<List<T>> chunks(List<T> values, int size) {
		List<List<T>> chunks = new ArrayList<>();
		for (int i = 0; i < values.size(); i += size) {
			chunks.add(values.subList(i, Math.min(values.size(), i + size)));
		}
		return chunks;
	}

	/** One fetched page. */
	private record Page(List<Call> calls, Set<String> recorded, String next, Long total) {
	}

	/** A search worked out before any request. */
	private record Plan(List<TimeWindow> chunks, List<Map<String, String>> groups, Map<String, String> common,
			boolean descending, boolean backward, PageCursor cursor, Predicate<Call> beyondCursor, Boolean hasRecording) {

		/** Whether the call passes the filters v1 cannot apply itself (has-recording). */
		boolean keeps(Call call, Page page) {
			return this.hasRecording == null || this.hasRecording == page.recorded.contains(call.sid());
		}

	}

}
