package io.exogate.model.call;

import java.util.List;

/**
 * One page of a call search.
 *
 * @param calls the calls, in the search's order
 * @param nextCursor cursor of the following page, or {@code null} when this is the last one
 * @param previousCursor cursor of the preceding page, or {@code null} when this is the first one
 * @param totalCount how many calls match the whole search, or {@code null} when not known
 * @param cursors one opaque cursor per call, in the same order: where a page continuing after or
 * before that call starts; empty when not known
 * @param answeredBy the API version that answered the search, or {@code null} when not known
 */
public record CallPage(List<Call> calls, String nextCursor, String previousCursor, Long totalCount, List<String> cursors,
		ApiVersion answeredBy) {

	public CallPage {
		calls = (calls != null) ? List.copyOf(calls) : List.of();
		if (totalCount != null && totalCount < 0) {
			throw new IllegalArgumentException("totalCount cannot be negative");
		}
		cursors = (cursors != null) ? java.util.Collections.unmodifiableList(new java.util.ArrayList<>(cursors)) : List.of();
		if (!cursors.isEmpty() && cursors.size() != calls.size()) {
			throw new IllegalArgumentException("A page has one cursor per call");
		}
	}

	/** A page without per-call cursors. */
	public CallPage(List<Call> calls, String nextCursor, String previousCursor, Long totalCount) {
		this(calls, nextCursor, previousCursor, totalCount, List.of(), null);
	}

	/** The cursor of the call at {@code index}, or {@code null} when not known. */
	public String cursor(int index) {
		return this.cursors.isEmpty() ? null : this.cursors.get(index);
	}

	/** Whether a following page exists. */
	public boolean hasNext() {
		return this.nextCursor != null;
	}

	/** Whether a preceding page exists. */
	public boolean hasPrevious() {
		return this.previousCursor != null;
	}

}
