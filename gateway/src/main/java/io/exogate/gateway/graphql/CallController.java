package io.exogate.gateway.graphql;

import graphql.schema.DataFetchingFieldSelectionSet;
import io.exogate.exotel.PageCursor;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.call.CallFilterInput;
import io.exogate.gateway.call.CallGraph;
import io.exogate.gateway.call.CallNode;
import io.exogate.gateway.call.CallViews;
import io.exogate.gateway.call.ViewKey;
import io.exogate.model.call.Agent;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.App;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.Customer;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimelineEvent;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.CallSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code call}, {@code calls}, {@code activeCalls}, and the {@code Call} fields owned by one API version. */
@Controller
public class CallController {

	static final int DEFAULT_PAGE = 20;

	/**
	 * Selections v4's list answers and v1's does not (the custom field would otherwise cost a v3
	 * request per call): a page selecting them is searched in v4.
	 */
	static final List<String> V4_FIELDS = List.of("agent", "customer", "disposition", "timeline", "talkTimeSeconds",
			"holdTimeSeconds", "customField");

	private final CallSource calls;

	private final Accounts accounts;

	private final CallViews views;

	private final Clock clock;

	public CallController(CallSource calls, Accounts accounts, CallViews views, Clock clock) {
		this.calls = calls;
		this.accounts = accounts;
		this.views = views;
		this.clock = clock;
	}

	@QueryMapping
	public Mono<CallNode> call(@Argument String sid, @Argument String account) {
		return Mono.defer(() -> {
			String resolved = this.accounts.resolve(account);
			return this.calls.call(resolved, sid).map((call) -> new CallNode(resolved, call));
		});
	}

	@QueryMapping
	public Mono<CallGraph.Connection> calls(@Argument CallFilterInput filter, @Argument Integer first, @Argument String after,
			@Argument Integer last, @Argument String before, @Argument String account, DataFetchingFieldSelectionSet selection) {
		return Mono.defer(() -> {
			String resolved = this.accounts.resolve(account);
			CallFilterInput input = (filter != null) ? filter
					: new CallFilterInput(null, null, null, null, null, null, null, null, null, null, null, null, null);
			CallQuery query = input.toQuery(this.clock.instant());
			if (first != null && last != null) {
				throw new BadRequestException("Give 'first' or 'last', not both");
			}
			if (after != null && last != null || before != null && first != null) {
				throw new BadRequestException("Use 'first' with 'after', and 'last' with 'before'");
			}
			int size = size((last != null) ? last : first, (last != null) ? "last" : "first");
			boolean lastPage = last != null && before == null;
			PageRequest page = (before != null) ? PageRequest.before(size, before)
					: (after != null) ? PageRequest.after(size, after) : PageRequest.first(size);
			CallQuery searched = lastPage ? reversed(query) : query;
			boolean wantsV4 = V4_FIELDS.stream().anyMatch((field) -> selection.contains("edges/node/" + field));
			String cursor = (after != null) ? after : before;
			ApiVersion version = (cursor != null) ? PageCursor.decode(cursor).version()
					: (wantsV4 && !input.needsV1()) ? ApiVersion.V4 : null;
			Mono<CallPage> result = (version != null) ? this.calls.search(resolved, searched, page, version)
					: this.calls.search(resolved, searched, page);
			return result.map((found) -> connection(resolved, found, lastPage));
		});
	}

	@QueryMapping
	public Flux<CallNode> activeCalls(@Argument String account) {
		return Flux.defer(() -> {
			String resolved = this.accounts.resolve(account);
			return this.calls.activeCalls(resolved).map((call) -> new CallNode(resolved, call));
		});
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> from(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::from, ApiVersion.V1);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> to(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::to, ApiVersion.V1);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Instant> createdAt(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::createdAt, ApiVersion.V1, ApiVersion.V3);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> conversationDurationSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, (view) -> CallNode.seconds(view.conversationDuration()), ApiVersion.V1, ApiVersion.V3);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<CallGraph.MoneyView> price(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, (view) -> CallGraph.MoneyView.of(view.price()), ApiVersion.V1);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> answeredBy(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::answeredBy, ApiVersion.V1);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<List<CallGraph.LegView>> legs(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.owning(call, views, ApiVersion.V1).thenApply(CallGraph.LegView::of);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> talkTimeSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, (view) -> CallNode.seconds(view.talkTime()), ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> holdTimeSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, (view) -> CallNode.seconds(view.holdTime()), ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Agent> agent(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::agent, ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Customer> customer(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::customer, ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> disposition(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::disposition, ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<List<TimelineEvent>> timeline(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.owning(call, views, ApiVersion.V4).thenApply((view) -> (view != null) ? view.timeline() : List.of());
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> customField(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::customField, ApiVersion.V3, ApiVersion.V4);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<App> app(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::app, ApiVersion.V3);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> digits(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, Call::digits, ApiVersion.V3);
	}

	private static CallGraph.Connection connection(String account, CallPage page, boolean lastPage) {
		List<Call> calls = new ArrayList<>(page.calls());
		ApiVersion version = (page.nextCursor() != null) ? PageCursor.decode(page.nextCursor()).version()
				: (page.previousCursor() != null) ? PageCursor.decode(page.previousCursor()).version()
						: versionOf(calls);
		if (lastPage) {
			Collections.reverse(calls);
		}
		List<CallGraph.Edge> edges = new ArrayList<>();
		for (int i = 0; i < calls.size(); i++) {
			edges.add(new CallGraph.Edge(PageCursor.edge(version, calls, i), new CallNode(account, calls.get(i))));
		}
		boolean hasNext = lastPage ? false : page.hasNext();
		boolean hasPrevious = lastPage ? page.hasNext() : page.hasPrevious();
		String start = edges.isEmpty() ? null : (!lastPage && page.previousCursor() != null) ? page.previousCursor() : edges.get(0).cursor();
		String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
		Integer total = (page.totalCount() != null) ? Math.toIntExact(Math.min(Integer.MAX_VALUE, page.totalCount())) : null;
		return new CallGraph.Connection(edges, new CallGraph.PageInfo(hasNext, hasPrevious, start, end), total, version);
	}

	private static ApiVersion versionOf(List<Call> calls) {
		return calls.isEmpty() || calls.get(0).sources().isEmpty() ? ApiVersion.V1 : calls.get(0).sources().iterator().next();
	}

	private static CallQuery reversed(CallQuery query) {
		return new CallQuery(query.window(), query.statuses(), query.direction(), query.customerNumbers(), query.exophones(),
				query.agentId(), query.minDuration(), query.maxDuration(), query.minPrice(), query.maxPrice(),
				query.hasRecording(), (query.sort() == CallSort.NEWEST_FIRST) ? CallSort.OLDEST_FIRST : CallSort.NEWEST_FIRST);
	}

	private static int size(Integer requested, String name) {
		if (requested == null) {
			return DEFAULT_PAGE;
		}
		if (requested < 1 || requested > PageRequest.MAX_SIZE) {
			throw new BadRequestException("'" + name + "' takes 1 to " + PageRequest.MAX_SIZE + " calls, got " + requested);
		}
		return requested;
	}

}
