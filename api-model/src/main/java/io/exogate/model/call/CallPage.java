package io.exogate.model.call;

import java.util.List;

/**
 * One page of a call search.
 *
 * @param calls the calls, in the search's order
 * @param nextCursor cursor of the following page, or {@code null} when this is the last one
 * @param previousCursor cursor of the preceding page, or {@code null} when this is the first one
 * @param totalCount how many calls match the whole search, or {@code null} when not known
 */
public record CallPage(List<Call> calls, String nextCursor, String previousCursor, Long totalCount) {

	public CallPage {
		calls = (calls != null) ? List.copyOf(calls) : List.of();
		if (totalCount != null && totalCount < 0) {
			throw new IllegalArgumentException("totalCount cannot be negative");
		}
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
