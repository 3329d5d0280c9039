package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingFieldSelectionSet;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.call.CallFilterInput;
import io.exogate.gateway.call.CallGraph;
import io.exogate.gateway.call.CallNode;
import io.exogate.gateway.call.CallViews;
import io.exogate.gateway.call.ViewKey;
import io.exogate.gateway.limits.RequestLimits;
import io.exogate.gateway.subscription.LiveCalls;
import io.exogate.model.call.Agent;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.App;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallField;
import io.exogate.model.call.Customer;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.SearchRoute;
import io.exogate.model.call.TimelineEvent;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.CallSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code call}, {@code calls}, {@code activeCalls} (query and subscription), and the {@code Call} fields owned by one API version. */
@Controller
public class CallController {

	public static final int DEFAULT_PAGE = 20;

	private final CallSource calls;

	private final Accounts accounts;

	private final CallViews views;

	private final Clock clock;

	private final RequestLimits limits;

	private final LiveCalls live;

	public CallController(CallSource calls, Accounts accounts, CallViews views, Clock clock, RequestLimits limits, LiveCalls live) {
		this.live = live;
		this.calls = calls;
		this.accounts = accounts;
		this.views = views;
		this.clock = clock;
		this.limits = limits;
	}

	@QueryMapping
	public Mono<CallNode> call(@Argument String sid, @Argument String account, GraphQLContext context) {
		return Mono.defer(() -> {
			String resolved = this.accounts.resolve(context, account, "call");
			return this.calls.call(resolved, sid).map((call) -> new CallNode(resolved, call));
		});
	}

	@QueryMapping
	public Mono<CallGraph.Connection> calls(@Argument CallFilterInput filter, @Argument Integer first, @Argument String after,
			@Argument Integer last, @Argument String before, @Argument String account, DataFetchingFieldSelectionSet selection, GraphQLContext context) {
		return Mono.defer(() -> {
			String resolved = this.accounts.resolve(context, account, "calls");
			CallFilterInput input = (filter != null) ? filter : CallFilterInput.NONE;
			CallQuery query = input.toQuery(this.clock.instant());
			if (first != null && last != null) {
				throw new BadRequestException("Give 'first' or 'last', not both");
			}
			if (after != null && last != null || before != null && first != null) {
				throw new BadRequestException("Use 'first' with 'after', and 'last' with 'before'");
			}
			int size = size((last != null) ? last : first, (last != null) ? "last" : "first");
			PageRequest page = (before != null) ? PageRequest.before(size, before)
					: (after != null) ? PageRequest.after(size, after) : (last != null) ? PageRequest.last(size) : PageRequest.first(size);
			Mono<CallPage> result = (page.cursor() != null) ? this.calls.search(resolved, query, page)
					: this.calls.search(resolved, query, page, SearchRoute.route(query, selectedCallFields(selection)));
			return result.map((found) -> connection(resolved, found));
		});
	}

	/**
	 * The live calls. Their number is known only once Exotel answers: when the selection asks
	 * another version for each call and there are more calls than the cost guard assumed
	 * ({@code exogate.request.active-calls-estimate}), the answer is refused rather than fanned out.
	 */
	@QueryMapping
	public Mono<List<CallNode>> activeCalls(@Argument String account, DataFetchingFieldSelectionSet selection,
			GraphQLContext context) {
		return Mono.defer(() -> {
			String resolved = this.accounts.resolve(context, account, "activeCalls");
			boolean perCall = !CallField.lookups(ApiVersion.V3, selectedFields(selection, "*")).isEmpty();
			return this.calls.activeCalls(resolved).map((call) -> new CallNode(resolved, call)).collectList().map((live) -> {
				if (perCall && live.size() > this.limits.activeCallsEstimate()) {
					throw new BadRequestException(live.size() + " calls are live, more than the " + this.limits.activeCallsEstimate()
							+ " whose per-call fields one request may ask Exotel for; select fields every view carries "
							+ "(sid, status, direction, exophone, startedAt, ...), or use calls(...) with a filter");
				}
				return live;
			});
		});
	}

	/**
	 * The live calls now, then each time the list changes, from the account's one shared poller. Each
	 * list is resolved afresh: fields asked of another version (per call, within
	 * {@code active-calls-estimate}) come from the views every subscriber of the list shares, looked up
	 * once per list however many subscribe; the request's DataLoaders (recordings, through the tenant's
	 * recording cache) forget the previous list's answers.
	 */
	@SubscriptionMapping("activeCalls")
	public Flux<List<CallNode>> liveCalls(@Argument String account, DataFetchingFieldSelectionSet selection,
			DataFetchingEnvironment environment) {
		return Flux.defer(() -> {
			GraphQLContext context = environment.getGraphQlContext();
			String resolved = this.accounts.resolve(context, account, "activeCalls");
			boolean perCall = !CallField.lookups(ApiVersion.V3, selectedFields(selection, "*")).isEmpty();
			return this.live.watch(resolved).map((snapshot) -> {
				List<Call> calls = snapshot.calls();
				if (perCall && calls.size() > this.limits.activeCallsEstimate()) {
					throw new BadRequestException(calls.size() + " calls are live, more than the " + this.limits.activeCallsEstimate()
							+ " whose per-call fields one update may ask Exotel for; select fields every view carries "
							+ "(sid, status, direction, exophone, startedAt, ...)");
				}
				return calls.stream().map((call) -> new CallNode(resolved, call, snapshot.views())).toList();
			}).doOnNext((calls) -> environment.getDataLoaderRegistry().getDataLoaders().forEach(DataLoader::clearAll));
		});
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> from(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.FROM, Call::from);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> to(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.TO, Call::to);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Instant> createdAt(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.CREATED_AT, Call::createdAt);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> conversationDurationSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.CONVERSATION_DURATION_SECONDS, (view) -> CallNode.seconds(view.conversationDuration()));
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<CallGraph.MoneyView> price(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.PRICE, (view) -> CallGraph.MoneyView.of(view.price()));
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> answeredBy(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.ANSWERED_BY, Call::answeredBy);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<List<CallGraph.LegView>> legs(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.owning(call, views, CallField.LEGS).thenApply(CallGraph.LegView::of);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> talkTimeSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.TALK_TIME_SECONDS, (view) -> CallNode.seconds(view.talkTime()));
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Integer> holdTimeSeconds(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.HOLD_TIME_SECONDS, (view) -> CallNode.seconds(view.holdTime()));
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Agent> agent(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.AGENT, Call::agent);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<Customer> customer(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.CUSTOMER, Call::customer);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> disposition(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.DISPOSITION, Call::disposition);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<List<TimelineEvent>> timeline(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.owning(call, views, CallField.TIMELINE).thenApply((view) -> (view != null) ? view.timeline() : List.of());
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> customField(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.CUSTOM_FIELD, Call::customField);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<App> app(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.APP, Call::app);
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<String> digits(CallNode call, DataLoader<ViewKey, Call> views) {
		return this.views.field(call, views, CallField.DIGITS, Call::digits);
	}

	private static CallGraph.Connection connection(String account, CallPage page) {
		List<CallGraph.Edge> edges = new ArrayList<>();
		for (int i = 0; i < page.calls().size(); i++) {
			edges.add(new CallGraph.Edge(page.cursor(i), new CallNode(account, page.calls().get(i))));
		}
		String start = edges.isEmpty() ? null : edges.get(0).cursor();
		String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
		Integer total = (page.totalCount() != null) ? Math.toIntExact(Math.min(Integer.MAX_VALUE, page.totalCount())) : null;
		ApiVersion answeredBy = (page.answeredBy() != null) ? page.answeredBy() : ApiVersion.V1;
		return new CallGraph.Connection(edges, new CallGraph.PageInfo(page.hasNext(), page.hasPrevious(), start, end), total,
				answeredBy);
	}

	/** The call fields a page selects, as the field-cost table names them. */
	private static List<CallField> selectedCallFields(DataFetchingFieldSelectionSet selection) {
		return selectedFields(selection, "edges/node/*");
	}

	private static List<CallField> selectedFields(DataFetchingFieldSelectionSet selection, String glob) {
		return selection.getFields(glob)
			.stream()
			.map((field) -> CallField.named(field.getName()))
			.filter(java.util.Objects::nonNull)
			.toList();
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
