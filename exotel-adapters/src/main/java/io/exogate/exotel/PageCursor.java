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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An opaque position in a call search: the API version that answered it, the time of the call at
 * the edge, and which calls sharing that time lie on either side of it: {@code shownUpTo} (the
 * page's calls at that time up to and including the edge) and {@code shownFrom} (from the edge
 * on). Continuing after the cursor resumes at that time and skips {@code shownUpTo}; going back
 * before it skips {@code shownFrom}. So no call is lost or repeated however Exotel orders calls that
 * share a second, and monthly windows, fanned-out number filters and Exotel's own cursors and
 * offsets stay hidden.
 *
 * @param version the version whose search issued it
 * @param at the edge call's time (v1: created; v4: started)
 * @param shownUpTo SIDs at {@code at} up to and including the edge, in display order
 * @param shownFrom SIDs at {@code at} from the edge on, in display order
 */
public record PageCursor(ApiVersion version, Instant at, Set<String> shownUpTo, Set<String> shownFrom) {

	/** More SIDs than this at one edge second would make the cursor unwieldy; they are not expected. */
	static final int MAX_SIDS = 40;

	public PageCursor {
		shownUpTo = Set.copyOf(shownUpTo);
		shownFrom = Set.copyOf(shownFrom);
	}

	/** The opaque text form. */
	public String encode() {
		String raw = this.version.name() + ":" + this.at.toEpochMilli() + ":" + String.join(",", this.shownUpTo) + ":"
				+ String.join(",", this.shownFrom);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/** Reads a cursor; {@code null} in, {@code null} out. */
	public static PageCursor decode(String text) {
		if (text == null) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
			String[] parts = raw.split(":", -1);
			if (parts.length != 4) {
				throw new IllegalArgumentException();
			}
			ApiVersion version = ApiVersion.valueOf(parts[0]);
			Instant at = Instant.ofEpochMilli(Long.parseLong(parts[1]));
			return new PageCursor(version, at, sids(parts[2]), sids(parts[3]));
		}
		catch (RuntimeException ex) {
			throw new BadRequestException("The cursor is not one this API issued");
		}
	}

	private static Set<String> sids(String list) {
		List<String> sids = List.of(list.split(",", -1));
		if (sids.isEmpty() || sids.size() > MAX_SIDS) {
			throw new IllegalArgumentException();
		}
		return Set.copyOf(CallSids.requireAll(sids));
	}

	/** The traversal order: by time then SID, newest first when {@code descending}. */
	public static Comparator<Call> order(Function<Call, Instant> time, boolean descending) {
		Comparator<Call> ascending = Comparator.comparing(time, Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing(Call::sid);
		return descending ? ascending.reversed() : ascending;
	}

	/**
	 * Whether {@code call} lies beyond this cursor and was not shown yet: after it when going
	 * forward, before it when going {@code backward}; {@code descending} is the traversal's order.
	 */
	public boolean isBeyond(Call call, Function<Call, Instant> time, boolean descending, boolean backward) {
		Instant callTime = time.apply(call);
		if (callTime == null) {
			return false;
		}
		int comparison = callTime.compareTo(this.at);
		if (comparison == 0) {
			return !(backward ? this.shownFrom : this.shownUpTo).contains(call.sid());
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
		if (backward) {
			Collections.reverse(calls);
		}
		if (calls.isEmpty()) {
			return new CallPage(calls, null, null, total, List.of(), version);
		}
		List<String> cursors = edges(version, calls);
		String last = cursors.get(cursors.size() - 1);
		String first = cursors.get(0);
		String next = backward ? last : (beyond ? last : null);
		String previous = backward ? (beyond ? first : null) : (fromCursor ? first : null);
		return new CallPage(calls, next, previous, total, cursors, version);
	}

	/**
	 * The last page of a search, from the first page of the same search in reverse order: calls
	 * back in the search's order, cursors worked out again for that order; a page precedes it
	 * when more calls lay beyond the reversed page.
	 */
	public static CallPage fromEnd(CallPage reversed, ApiVersion version) {
		List<Call> calls = new ArrayList<>(reversed.calls());
		Collections.reverse(calls);
		if (calls.isEmpty()) {
			return new CallPage(calls, null, null, reversed.totalCount(), List.of(), version);
		}
		List<String> cursors = edges(version, calls);
		return new CallPage(calls, null, reversed.hasNext() ? cursors.get(0) : null, reversed.totalCount(), cursors, version);
	}

	/** Every call's edge cursor, given the page's calls in display order. */
	private static List<String> edges(ApiVersion version, List<Call> calls) {
		Function<Call, Instant> time = timeOf(version);
		// The calls of each instant, in page order: each cursor looks at its own instant's calls only.
		Map<Instant, List<Integer>> byTime = new HashMap<>();
		for (int i = 0; i < calls.size(); i++) {
			Instant at = time.apply(calls.get(i));
			if (at != null) {
				byTime.computeIfAbsent(at, (any) -> new ArrayList<>()).add(i);
			}
		}
		List<String> cursors = new ArrayList<>(calls.size());
		for (int i = 0; i < calls.size(); i++) {
			Instant at = time.apply(calls.get(i));
			if (at == null) {
				cursors.add(null);
				continue;
			}
			List<Integer> same = byTime.get(at);
			List<String> upTo = new ArrayList<>();
			List<String> from = new ArrayList<>();
			for (int index : same) {
				if (index <= i && upTo.size() < MAX_SIDS) {
					upTo.add(calls.get(index).sid());
				}
				if (index >= i && from.size() < MAX_SIDS) {
					from.add(calls.get(index).sid());
				}
			}
			cursors.add(new PageCursor(version, at, Set.copyOf(upTo), Set.copyOf(from)).encode());
		}
		return cursors;
	}

	/** The time a version's search orders calls by: v1 creation, v4 start. */
	public static Function<Call, Instant> timeOf(ApiVersion version) {
		return (version == ApiVersion.V4) ? Call::startedAt : Call::createdAt;
	}

	/** The cursor of one edge of a page, given the page's calls in display order. */
	public static String edge(ApiVersion version, List<Call> calls, int index) {
		Function<Call, Instant> time = timeOf(version);
		Instant at = time.apply(calls.get(index));
		if (at == null) {
			return null;
		}
		List<String> upTo = sidsAt(calls.subList(0, index + 1), at, time);
		List<String> from = sidsAt(calls.subList(index, calls.size()), at, time);
		return new PageCursor(version, at, Set.copyOf(upTo), Set.copyOf(from)).encode();
	}

	private static List<String> sidsAt(List<Call> calls, Instant at, Function<Call, Instant> time) {
		return calls.stream().filter((call) -> at.equals(time.apply(call))).map(Call::sid).limit(MAX_SIDS).toList();
	}

}
