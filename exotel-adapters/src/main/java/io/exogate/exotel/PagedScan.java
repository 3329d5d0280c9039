package io.exogate.exotel;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * Gathers a search's items from upstream pages fetched one after another, lazily: the first page
 * on subscription, each following one only once the previous one left the scan short. The scan
 * stops as soon as it holds {@code wanted} items, when upstream has no more, or at the page bound,
 * and tells whether items remain beyond those it gathered.
 */
public final class PagedScan {

	private PagedScan() {
	}

	/**
	 * Scans pages starting at {@code start}.
	 * @param start where the first page is, handed to {@code fetch}
	 * @param fetch fetches the page at a position, given how many items are still wanted; called
	 * only when that page is needed, and its {@code Mono} subscribed to once
	 * @param wanted how many items the scan gathers at most
	 * @param maxPages how many pages the scan fetches at most
	 * @param <T> the items, in the order the search traverses them
	 * @param <P> a position in upstream's pages (a path, an offset, ...)
	 */
	public static <T, P> Mono<Result<T>> collect(P start, BiFunction<P, Integer, Mono<Page<T, P>>> fetch, int wanted,
			int maxPages) {
		if (wanted < 1 || maxPages < 1) {
			throw new IllegalArgumentException("A scan wants at least one item from at least one page");
		}
		return Mono.defer(() -> fetch.apply(start, wanted))
			.map((page) -> Progress.<T, P>none().then(page, wanted))
			.expand((progress) -> (progress.next != null)
					? Mono.defer(() -> fetch.apply(progress.next, wanted - progress.items.size())).map((page) -> progress.then(page, wanted))
					: Mono.empty())
			.take(maxPages)
			.takeUntil((progress) -> progress.items.size() >= wanted)
			.last()
			.map(Progress::result);
	}

	/**
	 * One upstream page as a scan sees it.
	 * @param items the page's items the search keeps, in order
	 * @param total how many items upstream says the whole search holds, or {@code null} when not stated
	 * @param next where the following page is, or {@code null} when the scan must not go on
	 * @param more whether upstream has items beyond this page; true whenever {@code next} is given
	 */
	public record Page<T, P>(List<T> items, Long total, P next, boolean more) {

		public Page {
			items = List.copyOf(items);
			if (next != null && !more) {
				throw new IllegalArgumentException("A page followed by another one has more beyond it");
			}
		}

		/** A page followed by the one at {@code next}, or the last one when {@code next} is {@code null}. */
		public static <T, P> Page<T, P> of(List<T> items, Long total, P next) {
			return new Page<>(items, total, next, next != null);
		}

	}

	/**
	 * What a scan gathered.
	 * @param items at most the wanted number of items, in order
	 * @param total the first total upstream stated, or {@code null}
	 * @param more whether items remain beyond {@code items}
	 */
	public record Result<T>(List<T> items, Long total, boolean more) {

		public Result {
			items = List.copyOf(items);
		}

	}

	/** The scan so far: an immutable value, replaced page by page. */
	private record Progress<T, P>(List<T> items, Long total, P next, boolean more, boolean overflowed) {

		static <T, P> Progress<T, P> none() {
			return new Progress<>(List.of(), null, null, false, false);
		}

		Progress<T, P> then(Page<T, P> page, int wanted) {
			int room = wanted - this.items.size();
			List<T> gathered = Stream.concat(this.items.stream(), page.items().stream().limit(Math.max(0, room))).toList();
			return new Progress<>(gathered, (this.total != null) ? this.total : page.total(), page.next(), page.more(),
					this.overflowed || page.items().size() > room);
		}

		Result<T> result() {
			return new Result<>(this.items, this.total, this.more || this.overflowed);
		}

	}

}
