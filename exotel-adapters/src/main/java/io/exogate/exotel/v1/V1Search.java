package io.exogate.exotel.v1;

import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.PageCursor;
import io.exogate.exotel.PagedScan;
import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.Upstream;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.SearchRoute;
import io.exogate.model.call.TimeWindow;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Answers pages of v1 searches: window after window, each window's request groups merged in order. */
final class V1Search {

	/** A scan stops after this many upstream pages per request group (filters applied here). */
	static final int MAX_PAGES_PER_GROUP = SearchRoute.MAX_PAGES_SCANNED;

	/** How many request groups of one window are fetched at once. */
	private static final int GROUPS_AT_ONCE = 4;

	private final ExotelConnections connections;

	private final Clock clock;

	private final PhoneNumbers numbers;

	V1Search(ExotelConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
		this.numbers = connections.phoneNumbers();
	}

	Mono<CallPage> page(String accountSid, CallQuery query, PageRequest page) {
		return Mono.defer(() -> {
			this.connections.account(accountSid);
			V1SearchPlan plan = V1SearchPlan.of(query, page, this.clock.instant(), this.numbers);
			if (plan == null) {
				return Mono.just(new CallPage(List.of(), null, null, 0L));
			}
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			return PagedScan.<Call, Integer>collect(0, (index, wanted) -> window(upstream, accountSid, plan, index, wanted, this.numbers), page.size(),
					plan.windows().size())
				.map((scanned) -> PageCursor.page(ApiVersion.V1, scanned.items(), page.size(), plan.backward(), plan.cursor() != null,
						scanned.more(), V1SearchPlan.CREATED, plan.totalIsExact() ? scanned.total() : null));
		});
	}

	/**
	 * One window of the search as a page of the window-by-window scan: up to {@code wanted} calls
	 * from each request group, merged in order without duplicates. The scan moves on to the next
	 * window only when every group ran out inside this one.
	 */
	private static Mono<PagedScan.Page<Call, Integer>> window(Upstream upstream, String accountSid, V1SearchPlan plan, int index,
			int wanted, PhoneNumbers numbers) {
		TimeWindow window = plan.windows().get(index);
		return Flux.fromIterable(plan.groups())
			.flatMapSequential((group) -> group(upstream, accountSid, plan, window, group, wanted, numbers), GROUPS_AT_ONCE)
			.collectList()
			.map((groups) -> {
				List<Call> merged = distinct(groups.stream()
					.flatMap((group) -> group.items().stream())
					.sorted(PageCursor.order(V1SearchPlan.CREATED, plan.descending()))
					.toList());
				boolean groupsMore = groups.stream().anyMatch(PagedScan.Result::more);
				Long total = (groups.size() == 1) ? groups.get(0).total() : null;
				Integer next = (!groupsMore && index + 1 < plan.windows().size()) ? index + 1 : null;
				return new PagedScan.Page<>(merged, total, next, groupsMore || next != null);
			});
	}

	/** Up to {@code wanted} kept calls of one request group in one window, following {@code NextPageUri}. */
	private static Mono<PagedScan.Result<Call>> group(Upstream upstream, String accountSid, V1SearchPlan plan, TimeWindow window,
			Map<String, String> group, int wanted, PhoneNumbers numbers) {
		String path = plan.request(window, group, Math.min(V1Pages.MAX_SIZE, wanted)).appendTo(V1Pages.listPath(accountSid));
		return PagedScan.collect(path, (next, stillWanted) -> V1Pages.fetch(upstream, accountSid, next, numbers)
			.map((page) -> PagedScan.Page.of(page.calls().stream().filter((call) -> plan.keeps(call, page)).toList(), page.total(),
					page.next())), wanted, MAX_PAGES_PER_GROUP);
	}

	/** The calls in order, each SID's first occurrence only. */
	private static List<Call> distinct(List<Call> calls) {
		Set<String> seen = new HashSet<>();
		return calls.stream().filter((call) -> seen.add(call.sid())).toList();
	}

}
