package io.exogate.gateway.limits;

import io.exogate.gateway.call.CallFilterInput;
import io.exogate.gateway.limits.CostGuard.SelectedField;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallField;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.SearchRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The worst-case number of Exotel requests an operation makes, from the field-cost table: a call
 * page's own search (months × number groups × pages scanned), one lookup per version per batch of
 * calls for the fields their view lacks, one bulk request per 100 calls per recording variant.
 * Identical recording lookups count once, as the cache's single flight makes them one request.
 */
final class UpstreamCost {

	/** Calls a page holds when {@code first}/{@code last} are left out. */
	static final int DEFAULT_PAGE = io.exogate.gateway.graphql.CallController.DEFAULT_PAGE;

	/** Media and API requests of one verified recording: a check, and a fresh URL when the check fails. */
	static final int VERIFY_COST = 3;

	private final int activeCalls;

	/** Each distinct recording root field (variant, account and SIDs) and its cost: identical ones are one flight. */
	private final Map<String, Long> recordingRoots = new HashMap<>();

	UpstreamCost(int activeCalls) {
		this.activeCalls = activeCalls;
	}

	long of(List<SelectedField> roots) {
		long total = 0;
		for (SelectedField root : roots) {
			total = plus(total, root(root));
		}
		for (long cost : this.recordingRoots.values()) {
			total = plus(total, cost);
		}
		return total;
	}

	/** A sum that stays at {@link Long#MAX_VALUE} instead of wrapping: a cost past any limit is refused, never negative. */
	static long plus(long a, long b) {
		long sum = a + b;
		return (sum < a || sum < b) ? Long.MAX_VALUE : sum;
	}

	private long root(SelectedField root) {
		return switch (root.name) {
			case "calls" -> calls(root);
			case "call" -> 1 + perCall(ApiVersion.V1, callFields(List.of(root)), 1);
			// As a subscription, its later lists cost nothing more per subscriber: the account's poller and the
			// per-call lookups of each list are shared by all its subscribers (SharedViews).
			case "activeCalls" -> 1 + perCall(ApiVersion.V3, callFields(List.of(root)), this.activeCalls);
			case "recording" -> recording(root);
			case "recordings" -> recordings(root);
			case "requestRecordingExport" -> 1;
			// One poll and, while no recording exists, one look at the call; later polls are shared and budgeted.
			case "recordingReady" -> 2;
			default -> 0;
		};
	}

	private long calls(SelectedField root) {
		Map<String, Object> arguments = root.arguments;
		int size = pageSize(arguments.get("first"), arguments.get("last"));
		List<SelectedField> nodes = new ArrayList<>();
		for (SelectedField edges : named(root.children, "edges")) {
			nodes.addAll(named(edges.children, "node"));
		}
		Selection selection = callFields(nodes);
		CallQuery query = query(arguments.get("filter"));
		Duration window = (query.window() != null) ? Duration.between(query.window().from(), query.window().to())
				: SearchRoute.V1_WINDOW;
		boolean fromCursor = arguments.get("after") != null || arguments.get("before") != null;
		List<ApiVersion> candidates;
		if (fromCursor) {
			candidates = List.of(ApiVersion.V1, ApiVersion.V4);
		}
		else {
			try {
				candidates = List.of(SearchRoute.route(query, selection.fields));
			}
			catch (RuntimeException refused) {
				return 0;
			}
		}
		long worst = 0;
		for (ApiVersion base : candidates) {
			worst = Math.max(worst, plus(SearchRoute.pageCost(query, base, window, fromCursor), perCall(base, selection, size)));
		}
		return worst;
	}

	private long perCall(ApiVersion base, Selection selection, int calls) {
		return CallField.lookupCost(base, selection.fields, calls)
				+ selection.recordingVariants * CallField.batches(calls, CallField.RECORDING_BATCH);
	}

	private long recording(SelectedField root) {
		if (Boolean.TRUE.equals(root.arguments.get("verify"))) {
			return VERIFY_COST;
		}
		recordingRoot(root, Set.of(String.valueOf(root.arguments.get("callSid"))));
		return 0;
	}

	private long recordings(SelectedField root) {
		Set<String> sids = new TreeSet<>();
		if (root.arguments.get("callSids") instanceof Collection<?> list) {
			list.forEach((sid) -> sids.add(String.valueOf(sid)));
		}
		recordingRoot(root, sids);
		return 0;
	}

	private void recordingRoot(SelectedField root, Set<String> sids) {
		this.recordingRoots.put(variant(root) + ":" + root.arguments.get("account") + ":" + new TreeSet<>(sids),
				CallField.batches(sids.size(), CallField.RECORDING_BATCH));
	}

	/** The call fields selected under {@code parents}, and how many recording variants. */
	private static Selection callFields(List<SelectedField> parents) {
		Set<CallField> fields = EnumSet.noneOf(CallField.class);
		Set<String> variants = new HashSet<>();
		for (SelectedField parent : parents) {
			for (SelectedField child : parent.children) {
				if (child.name.equals("recording")) {
					variants.add(variant(child));
				}
				CallField field = CallField.named(child.name);
				if (field != null) {
					fields.add(field);
				}
			}
		}
		return new Selection(fields, variants.size());
	}

	private static String variant(SelectedField field) {
		return field.arguments.get("format") + "/" + field.arguments.get("channel");
	}

	private static List<SelectedField> named(List<SelectedField> fields, String name) {
		return fields.stream().filter((field) -> field.name.equals(name)).toList();
	}

	private static int pageSize(Object first, Object last) {
		Object asked = (first != null) ? first : last;
		if (asked instanceof Number number) {
			return (int) Math.max(1, Math.min(PageRequest.MAX_SIZE, number.longValue()));
		}
		return DEFAULT_PAGE;
	}

	/**
	 * The filter as the resolver will read it; a filter the resolver will refuse costs like no
	 * filter, as it never reaches Exotel.
	 */
	private static CallQuery query(Object filter) {
		if (filter instanceof Map<?, ?> values) {
			try {
				return new CallFilterInput((Instant) values.get("from"), (Instant) values.get("to"),
						enums(values.get("statuses"), CallStatus.class),
						(values.get("direction") != null) ? CallDirection.valueOf(values.get("direction").toString()) : null,
						strings(values.get("customerNumbers")), strings(values.get("exophones")), (String) values.get("agentId"),
						(Integer) values.get("minDurationSeconds"), (Integer) values.get("maxDurationSeconds"),
						(String) values.get("minPrice"), (String) values.get("maxPrice"), (Boolean) values.get("hasRecording"),
						(values.get("sort") != null) ? CallSort.valueOf(values.get("sort").toString()) : null)
					.toQuery(Instant.now());
			}
			catch (RuntimeException refused) {
				// The resolver refuses this filter before any request.
			}
		}
		return CallQuery.builder().build();
	}

	private static <E extends Enum<E>> List<E> enums(Object values, Class<E> type) {
		if (!(values instanceof Collection<?> list)) {
			return null;
		}
		return list.stream().map((value) -> Enum.valueOf(type, value.toString())).toList();
	}

	private static List<String> strings(Object values) {
		if (!(values instanceof Collection<?> list)) {
			return null;
		}
		return list.stream().map(String::valueOf).toList();
	}

	private record Selection(Set<CallField> fields, int recordingVariants) {
	}

}
