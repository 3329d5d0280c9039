package io.exogate.model.call;

import io.exogate.model.error.BadRequestException;
import java.time.Duration;
import java.util.Collection;

/**
 * Which API version answers a call search, and the most upstream requests a page of it may take.
 * v4 must answer agent filters and the {@code MISSED}/{@code ABANDONED} statuses; v1 must answer
 * price filters; otherwise a page selecting {@linkplain CallField#listedByV4Only() fields only v4's
 * list carries} is searched in v4, and anything else in v1. A cursor continues on the version that
 * issued it.
 */
public final class SearchRoute {

	/** One v1 request spans at most this window; longer windows are split. */
	public static final Duration V1_WINDOW = Duration.ofDays(31);

	/** One v1 request filters by at most this many numbers of one kind; more fan out. */
	public static final int NUMBERS_PER_REQUEST = 5;

	/** Filters an API cannot apply itself are applied in the adapter, scanning at most this many upstream pages per request group. */
	public static final int MAX_PAGES_SCANNED = 10;

	private SearchRoute() {
	}

	/** Whether only v4 can answer the query (agent filter, a v4-only status). */
	public static boolean needsV4(CallQuery query) {
		return query.needsAgentData() || query.statuses().contains(CallStatus.MISSED)
				|| query.statuses().contains(CallStatus.ABANDONED);
	}

	/** Whether only v1 can answer the query (price filters). */
	public static boolean needsV1(CallQuery query) {
		return query.minPrice() != null || query.maxPrice() != null;
	}

	/**
	 * The version for a new search (no cursor) of {@code query} selecting {@code selected}.
	 * @throws BadRequestException when the query needs both v1 and v4
	 */
	public static ApiVersion route(CallQuery query, Collection<CallField> selected) {
		boolean v4 = needsV4(query);
		boolean v1 = needsV1(query);
		if (v4 && v1) {
			throw new BadRequestException("No Exotel API filters by price and by agent or MISSED/ABANDONED together; drop one");
		}
		if (v4) {
			return ApiVersion.V4;
		}
		if (v1) {
			return ApiVersion.V1;
		}
		return selected.stream().anyMatch(CallField::listedByV4Only) ? ApiVersion.V4 : ApiVersion.V1;
	}

	/**
	 * The most upstream requests one page of {@code query} may take in {@code version}: v1 splits the
	 * window by month and fans numbers out (customer numbers as {@code From} and {@code To}); a
	 * filter the API cannot apply itself may scan up to {@link #MAX_PAGES_SCANNED} pages per request
	 * group; a page continuing from a cursor may take a second page per group, as the calls already
	 * shown at the cursor's second are read again and skipped.
	 */
	public static long pageCost(CallQuery query, ApiVersion version, Duration window, boolean fromCursor) {
		long again = fromCursor ? 2 : 1;
		if (version == ApiVersion.V4) {
			boolean filteredHere = !query.customerNumbers().isEmpty() || !query.exophones().isEmpty()
					|| query.minDuration() != null || query.maxDuration() != null || query.statuses().size() > 1
					|| query.hasRecording() != null;
			return filteredHere ? MAX_PAGES_SCANNED : again;
		}
		// In seconds: a window between the far ends of Instant's range overflows milliseconds.
		long months = Math.max(1, CallField.batches(window.getSeconds(), V1_WINDOW.getSeconds()));
		long customers = Math.max(1, CallField.batches(query.customerNumbers().size(), NUMBERS_PER_REQUEST))
				* ((!query.customerNumbers().isEmpty() && query.direction() == null) ? 2 : 1);
		long exophones = Math.max(1, CallField.batches(query.exophones().size(), NUMBERS_PER_REQUEST));
		long pages = (query.hasRecording() != null) ? MAX_PAGES_SCANNED : again;
		return saturated(saturated(months, customers), saturated(exophones, pages));
	}

	private static long saturated(long a, long b) {
		long product = a * b;
		return (a != 0 && (product / a != b || product < 0)) ? Long.MAX_VALUE : product;
	}

}
