package io.exogate.model.call;

import io.exogate.model.error.BadRequestException;

/**
 * Which page of a call search to fetch: the first one, or the one after or before an opaque cursor
 * taken from a previous {@link CallPage}.
 *
 * @param size how many calls, 1 to {@value #MAX_SIZE}
 * @param after cursor of the page to continue after, or {@code null}
 * @param before cursor of the page to continue before, or {@code null}
 * @param fromEnd the last page of the search rather than the first (no cursor)
 */
public record PageRequest(int size, String after, String before, boolean fromEnd) {

	/** The most calls one page can hold (Exotel's own limit for v1 and v4). */
	public static final int MAX_SIZE = 100;

	static final int MAX_CURSOR_LENGTH = 2048;

	public PageRequest {
		if (size < 1 || size > MAX_SIZE) {
			throw new BadRequestException("A page holds 1 to " + MAX_SIZE + " calls, got " + size);
		}
		if (after != null && before != null) {
			throw new BadRequestException("Give either an 'after' or a 'before' cursor, not both");
		}
		if (fromEnd && (after != null || before != null)) {
			throw new BadRequestException("The last page of a search takes no cursor; use 'before' to page backwards");
		}
		checkCursor(after, "after");
		checkCursor(before, "before");
	}

	/** A page after or before a cursor, or the first page. */
	public PageRequest(int size, String after, String before) {
		this(size, after, before, false);
	}

	/** The last page of the given size, in the search's order. */
	public static PageRequest last(int size) {
		return new PageRequest(size, null, null, true);
	}

	/** The cursor the page continues from, or {@code null}. */
	public String cursor() {
		return (this.after != null) ? this.after : this.before;
	}

	/** The first page of the given size. */
	public static PageRequest first(int size) {
		return new PageRequest(size, null, null);
	}

	/** The page following {@code cursor}. */
	public static PageRequest after(int size, String cursor) {
		return new PageRequest(size, cursor, null);
	}

	/** The page preceding {@code cursor}. */
	public static PageRequest before(int size, String cursor) {
		return new PageRequest(size, null, cursor);
	}

	private static void checkCursor(String cursor, String name) {
		if (cursor != null && (cursor.isBlank() || cursor.length() > MAX_CURSOR_LENGTH)) {
			throw new BadRequestException("The '" + name + "' cursor is not one this API issued");
		}
	}

}
