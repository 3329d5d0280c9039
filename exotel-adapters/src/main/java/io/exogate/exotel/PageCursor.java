package io.exogate.exotel;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An opaque position in a call search: the API version that answered it, the time of the call at
 * the page's edge, and the SIDs of that page's calls at that same time. The next page resumes at
 * that time and skips those SIDs, so no call is lost or repeated however Exotel orders calls that
 * share a second, and windows split by month, fanned-out number filters and Exotel's own cursors
 * and offsets stay hidden.
 *
 * @param version the version whose search issued it
 * @param at the edge call's time (v1: created; v4: started)
 * @param sids the SIDs already shown at {@code at}
 */
public record PageCursor(ApiVersion version, Instant at, Set<String> sids) {

	/** More SIDs than this at one edge second would make the cursor unwieldy; they are not expected. */
	static final int MAX_SIDS = 40;

	public PageCursor {
		sids = Set.copyOf(sids);
	}

	/** The opaque text form. */
	public String encode() {
		String raw = this.version.name() + ":" + this.at.toEpochMilli() + ":" + String.join(",", this.sids);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/** Reads a cursor; {@code null} in, {@code null} out. */
	public static PageCursor decode(String text) {
		if (text == null) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
			String[] parts = raw.split(":", 3);
			ApiVersion version = ApiVersion.valueOf(parts[0]);
			Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
			List<String> sids = List.of(parts[2].split(",", -1));
			if (sids.size() > MAX_SIDS) {
				throw new IllegalArgumentException();
			}
			return new PageCursor(version, at, Set.copyOf(CallSids.requireAll(sids)));
		}
		catch (RuntimeException ex) {
			throw new BadRequestException("The cursor is not one this API issued");
		}
	}

	/** The traversal order: by time then SID, newest first when {@code descending}. */
	public static Comparator<Call> order(Function<Call, Instant> time, boolean descending) {
		Comparator<Call> ascending = Comparator.comparing(time, Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing(Call::sid);
		return descending ? ascending.reversed() : ascending;
	}

	/** Whether {@code call} lies beyond this cursor in the traversal order and was not shown yet. */
	public boolean isBefore(Call call, Function<Call, Instant> time, boolean descending) {
		Instant callTime = time.apply(call);
		if (callTime == null) {
			return false;
		}
		int comparison = callTime.compareTo(this.at);
		if (comparison == 0) {
			return !this.sids.contains(call.sid());
		}
		return descending ? comparison < 0 : comparison > 0;
	}

	/**
	 * Builds a page from calls gathered in traversal order beyond the cursor.
	 * @param traversed the calls, in traversal order
	 * @param size the page size
	 * @param backward whether the page was asked for with a 'before' cursor
	 * @param fromCursor whether the page continues from a cursor
	 * @param more whether calls remain beyond those gathered
	 */
	public static CallPage page(ApiVersion version, List<Call> traversed, int size, boolean backward, boolean fromCursor,
			boolean more, Function<Call, Instant> time, Long total) {
		List<Call> calls = new ArrayList<>(traversed.subList(0, Math.min(size, traversed.size())));
		boolean beyond = more || traversed.size() > size;
		List<Call> inTraversalOrder = List.copyOf(calls);
		if (backward) {
			Collections.reverse(calls);
		}
		if (calls.isEmpty()) {
			return new CallPage(calls, null, null, total);
		}
		String far = edge(version, inTraversalOrder, inTraversalOrder.size() - 1, time);
		String near = edge(version, inTraversalOrder, 0, time);
		String next = backward ? near : (beyond ? far : null);
		String previous = backward ? (beyond ? far : null) : (fromCursor ? near : null);
		return new CallPage(calls, next, previous, total);
	}

	/** The time a version's search orders calls by: v1 creation, v4 start. */
	public static Function<Call, Instant> timeOf(ApiVersion version) {
		return (version == ApiVersion.V4) ? Call::startedAt : Call::createdAt;
	}

	/**
	 * The cursor of one edge of a page in display order: continuing after it skips the calls shown
	 * at its second up to and including it.
	 */
	public static String edge(ApiVersion version, List<Call> calls, int index) {
		Function<Call, Instant> time = timeOf(version);
		Instant at = time.apply(calls.get(index));
		if (at == null) {
			return null;
		}
		List<String> sids = calls.subList(0, index + 1)
			.stream()
			.filter((call) -> at.equals(time.apply(call)))
			.map(Call::sid)
			.limit(MAX_SIDS)
			.toList();
		return new PageCursor(version, at, Set.copyOf(sids)).encode();
	}

	private static String edge(ApiVersion version, List<Call> calls, int index, Function<Call, Instant> time) {
		Instant at = time.apply(calls.get(index));
		List<String> sids = calls.stream().filter((call) -> at.equals(time.apply(call))).map(Call::sid).limit(MAX_SIDS).toList();
		return new PageCursor(version, at, Set.copyOf(sids)).encode();
	}

}
