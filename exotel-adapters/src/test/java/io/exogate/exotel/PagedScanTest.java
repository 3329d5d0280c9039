package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.error.UpstreamUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class PagedScanTest {

	/** Pages of ten numbers each, {@code page * 10} to {@code page * 10 + 9}; the scan keeps the even ones. */
	private final FakeUpstream upstream = new FakeUpstream(1000);

	@Test
	void nothingIsFetchedBeforeSubscription() {
		Mono<PagedScan.Result<Integer>> scan = PagedScan.collect(0, this.upstream, 5, 10);
		assertThat(this.upstream.asked).isEmpty();
		assertThat(this.upstream.subscribed).isEmpty();
		scan.as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(this.upstream.subscribed).containsExactly(0);
	}

	@Test
	void stopsAsSoonAsEnoughItemsAreGatheredAndFetchesNothingBeyond() {
		PagedScan.collect(0, this.upstream, 12, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> {
				assertThat(result.items()).containsExactly(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22);
				assertThat(result.more()).isTrue();
				assertThat(result.total()).isEqualTo(5000L);
			})
			.verifyComplete();
		assertThat(this.upstream.subscribed).as("three pages of five kept items each hold twelve").containsExactly(0, 1, 2);
		assertThat(this.upstream.asked).as("a page is asked for only when it is subscribed to").containsExactly(0, 1, 2);
	}

	@Test
	void tellsEachFetchHowManyItemsAreStillWanted() {
		PagedScan.collect(0, this.upstream, 12, 10).as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(this.upstream.stillWanted).containsExactly(12, 7, 2);
	}

	@Test
	void stopsAtThePageBoundAndSaysMoreRemain() {
		FakeUpstream sparse = new FakeUpstream(1000, (page, number) -> number == 3);
		PagedScan.collect(0, sparse, 5, 4)
			.as(StepVerifier::create)
			.assertNext((result) -> {
				assertThat(result.items()).containsExactly(3);
				assertThat(result.more()).isTrue();
			})
			.verifyComplete();
		assertThat(sparse.subscribed).containsExactly(0, 1, 2, 3);
	}

	@Test
	void stopsWhenUpstreamHasNoMore() {
		FakeUpstream short_ = new FakeUpstream(3);
		PagedScan.collect(0, short_, 50, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> {
				assertThat(result.items()).hasSize(15).startsWith(0, 2).endsWith(28);
				assertThat(result.more()).isFalse();
			})
			.verifyComplete();
		assertThat(short_.subscribed).containsExactly(0, 1, 2);
	}

	@Test
	void exactlyEnoughOnTheLastPageLeavesNothingBeyond() {
		PagedScan.collect(0, new FakeUpstream(2), 10, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> assertThat(result.more()).isFalse())
			.verifyComplete();
		PagedScan.collect(0, new FakeUpstream(3), 10, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> assertThat(result.more()).as("a third page follows").isTrue())
			.verifyComplete();
	}

	@Test
	void itemsBeyondTheWantedOnesAreDroppedAndReportedAsMore() {
		PagedScan.collect(0, new FakeUpstream(1), 3, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> {
				assertThat(result.items()).containsExactly(0, 2, 4);
				assertThat(result.more()).isTrue();
			})
			.verifyComplete();
	}

	@Test
	void aPageCanEndTheScanThoughUpstreamHasMore() {
		BiFunction<Integer, Integer, Mono<PagedScan.Page<Integer, Integer>>> stopping = (position, wanted) -> Mono
			.just(new PagedScan.Page<>(List.of(position), null, null, true));
		PagedScan.collect(7, stopping, 5, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> {
				assertThat(result.items()).containsExactly(7);
				assertThat(result.more()).isTrue();
			})
			.verifyComplete();
		assertThatThrownBy(() -> new PagedScan.Page<>(List.of(), null, 1, false)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aFailedPageFailsTheScanAndNothingFollowsIt() {
		FakeUpstream failing = new FakeUpstream(1000);
		failing.failAt = 1;
		PagedScan.collect(0, failing, 50, 10).as(StepVerifier::create).verifyError(UpstreamUnavailableException.class);
		assertThat(failing.subscribed).containsExactly(0, 1);
	}

	@Test
	void theFirstStatedTotalIsKept() {
		BiFunction<Integer, Integer, Mono<PagedScan.Page<Integer, Integer>>> totals = (position, wanted) -> Mono
			.just(PagedScan.Page.of(List.of(position), (position == 0) ? null : 40L + position, (position < 3) ? position + 1 : null));
		PagedScan.collect(0, totals, 10, 10)
			.as(StepVerifier::create)
			.assertNext((result) -> assertThat(result.total()).isEqualTo(41L))
			.verifyComplete();
	}

	/** Serves numbered pages and records what was asked for and subscribed to. */
	private static final class FakeUpstream implements BiFunction<Integer, Integer, Mono<PagedScan.Page<Integer, Integer>>> {

		private final int pages;

		private final BiFunction<Integer, Integer, Boolean> keep;

		final List<Integer> asked = new ArrayList<>();

		final List<Integer> subscribed = new ArrayList<>();

		final List<Integer> stillWanted = new ArrayList<>();

		int failAt = -1;

		FakeUpstream(int pages) {
			this(pages, (page, number) -> number % 2 == 0);
		}

		FakeUpstream(int pages, BiFunction<Integer, Integer, Boolean> keep) {
			this.pages = pages;
			this.keep = keep;
		}

		@Override
		public Mono<PagedScan.Page<Integer, Integer>> apply(Integer page, Integer wanted) {
			this.asked.add(page);
			this.stillWanted.add(wanted);
			return Mono.fromCallable(() -> {
				this.subscribed.add(page);
				if (page == this.failAt) {
					throw new UpstreamUnavailableException("Exotel v1 answered 503");
				}
				List<Integer> kept = IntStream.range(page * 10, page * 10 + 10).filter((number) -> this.keep.apply(page, number)).boxed().toList();
				return PagedScan.Page.of(kept, this.pages * 5L, (page + 1 < this.pages) ? page + 1 : null);
			});
		}

	}

}
