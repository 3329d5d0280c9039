package io.exogate.exotel.v4;

import io.exogate.exotel.CallSids;
import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.PageCursor;
import io.exogate.exotel.PagedScan;
import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.Upstream;
import io.exogate.exotel.WireJson;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.SearchRoute;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * Exotel v4 contact-center voicelogs: agents, customers, dispositions and timelines. Searches
 * walk offset pages of 100 ({@code has_next}) inside a window fixed when the search starts, and
 * apply here what v4 cannot filter (customer numbers and ExoPhones, compared in E.164, duration,
 * several statuses, has-recording), scanning a bounded number of pages per request.
 */
public final class V4Client {

	static final int LIMIT = 100;

	static final Duration DEFAULT_WINDOW = Duration.ofDays(31);

	static final int MAX_PAGES = SearchRoute.MAX_PAGES_SCANNED;

	private static final Function<Call, Instant> STARTED = Call::startedAt;

	private static final Map<CallStatus, String> STATUSES = Map.of(CallStatus.COMPLETED, "completed", CallStatus.MISSED,
			"missed", CallStatus.ABANDONED, "abandoned", CallStatus.FAILED, "failed", CallStatus.BUSY, "busy");

	private final ExotelConnections connections;

	private final Clock clock;

	private final PhoneNumbers numbers;

	public V4Client(ExotelConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
		this.numbers = connections.phoneNumbers();
	}

	/** v4's view of a call, with its timeline. */
	public Mono<Call> call(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			return upstream(accountSid).get("voicelogs.get", base(accountSid) + "/" + QueryString.encode(sid)).map((body) -> {
				V4Wire.SingleEnvelope envelope = WireJson.read(body, V4Wire.SingleEnvelope.class);
				if (envelope.response() == null || envelope.response().data() == null) {
					throw new NotFoundException("Exotel v4 returned no voicelog for call " + sid);
				}
				return V4Mapper.toCall(envelope.response().data(), accountSid, this.numbers);
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
			return PagedScan.<Call, Integer>collect(0, (offset, wanted) -> fetch(accountSid, plan, offset).map((fetched) -> kept(plan, fetched)),
					page.size(), MAX_PAGES)
				.map((scanned) -> PageCursor.page(ApiVersion.V4, scanned.items(), page.size(), plan.backward, plan.cursor != null,
						scanned.more(), STARTED, (plan.cursor == null && plan.serverSideOnly) ? scanned.total() : null));
		});
	}

	private Plan plan(String accountSid, CallQuery query, PageRequest page) {
		this.connections.account(accountSid);
		if (query.minPrice() != null || query.maxPrice() != null) {
			throw new BadRequestException("Exotel v4 has no prices; price filters cannot be combined with agent or v4-only filters");
		}
		Instant now = this.clock.instant();
		TimeWindow window = (query.window() != null) ? query.window() : TimeWindow.endingAt(now, DEFAULT_WINDOW);
		window.requireWithinRetention(now);
		boolean backward = page.before() != null;
		PageCursor cursor = PageCursor.decode(backward ? page.before() : page.after());
		if (cursor != null && cursor.version() != ApiVersion.V4) {
			throw new BadRequestException("The cursor belongs to another search; start again without it");
		}
		boolean descending = (query.sort() == CallSort.NEWEST_FIRST) != backward;
		Instant from = window.from();
		Instant to = window.to().minusMillis(1);
		if (cursor != null) {
			if (descending && cursor.at().isBefore(to)) {
				to = cursor.at();
			}
			if (!descending && cursor.at().isAfter(from)) {
				from = cursor.at();
			}
		}
		if (from.isAfter(to)) {
			return null;
		}
		QueryString params = new QueryString()
			.with("start_time", DateTimeFormatter.ISO_INSTANT.format(from))
			.with("end_time", DateTimeFormatter.ISO_INSTANT.format(to))
			.with("agent_id", query.agentId())
			.with("direction", (query.direction() != null) ? query.direction().name().toLowerCase(Locale.ROOT) : null)
			.with("sort_by", descending ? "date:desc" : "date:asc");
		Set<CallStatus> statuses = query.statuses().isEmpty() ? Set.of() : EnumSet.copyOf(query.statuses());
		for (CallStatus status : statuses) {
			if (!STATUSES.containsKey(status)) {
				throw new BadRequestException("Exotel v4 has no " + status + " status; search v1 for it, without agent filters");
			}
		}
		if (statuses.size() == 1) {
			params.with("status", STATUSES.get(statuses.iterator().next()));
		}
		Predicate<Entry> keep = (entry) -> true;
		if (statuses.size() > 1) {
			keep = keep.and((entry) -> statuses.contains(entry.call.status()));
		}
		if (!query.customerNumbers().isEmpty()) {
			Set<String> customers = this.numbers.forMatching(query.customerNumbers());
			keep = keep.and((entry) -> entry.call.customer() != null && customers.contains(entry.call.customer().number()));
		}
		if (!query.exophones().isEmpty()) {
			Set<String> exophones = this.numbers.forMatching(query.exophones());
			keep = keep.and((entry) -> exophones.contains(entry.call.exophone()));
		}
		if (query.minDuration() != null) {
			keep = keep.and((entry) -> entry.call.duration() != null && entry.call.duration().compareTo(query.minDuration()) >= 0);
		}
		if (query.maxDuration() != null) {
			keep = keep.and((entry) -> entry.call.duration() != null && entry.call.duration().compareTo(query.maxDuration()) <= 0);
		}
		if (query.hasRecording() != null) {
			keep = keep.and((entry) -> entry.recorded == query.hasRecording());
		}
		boolean serverSideOnly = statuses.size() <= 1 && query.customerNumbers().isEmpty() && query.exophones().isEmpty()
				&& query.minDuration() == null && query.maxDuration() == null && query.hasRecording() == null;
		Predicate<Entry> beyond = (cursor != null) ? (entry) -> cursor.isBeyond(entry.call, STARTED, descending, backward) : (entry) -> true;
		return new Plan(params, keep, beyond, descending, backward, cursor, serverSideOnly);
	}

	/** The page's voicelogs the search keeps, and the offset of the following page while v4 has one. */
	private static PagedScan.Page<Call, Integer> kept(Plan plan, Page page) {
		List<Call> kept = page.calls.stream().filter((entry) -> plan.beyond.test(entry) && plan.keep.test(entry)).map(Entry::call).toList();
		return PagedScan.Page.of(kept, page.total, page.hasNext ? page.offset + LIMIT : null);
	}

	private Mono<Page> fetch(String accountSid, Plan plan, int offset) {
		String path = plan.params.copy().with("limit", LIMIT).with("offset", offset).appendTo(base(accountSid));
		return upstream(accountSid).get("voicelogs.list", path).map((body) -> {
			V4Wire.ListEnvelope envelope = WireJson.read(body, V4Wire.ListEnvelope.class);
			List<Entry> entries = new ArrayList<>();
			V4Wire.ListResponse response = envelope.response();
			if (response != null && response.data() != null && response.data().voicelogs() != null) {
				for (V4Wire.Voicelog log : response.data().voicelogs()) {
					entries.add(new Entry(V4Mapper.toCall(log, accountSid, this.numbers), V4Mapper.hasRecording(log)));
				}
			}
			boolean hasNext = response != null && response.metadata() != null && Boolean.TRUE.equals(response.metadata().hasNext())
					&& !entries.isEmpty();
			return new Page(entries, offset, hasNext, (response != null) ? V4Mapper.total(response.metadata()) : null);
		});
	}

	private Upstream upstream(String accountSid) {
		return this.connections.upstream(accountSid, ApiVersion.V4);
	}

	private static String base(String accountSid) {
		return "/v4/accounts/" + QueryString.encode(accountSid) + "/voicelogs";
	}

	/** A voicelog and whether it has a recording. */
	private record Entry(Call call, boolean recorded) {
	}

	private record Page(List<Entry> calls, int offset, boolean hasNext, Long total) {
	}

	private record Plan(QueryString params, Predicate<Entry> keep, Predicate<Entry> beyond, boolean descending,
			boolean backward, PageCursor cursor, boolean serverSideOnly) {
	}

}
