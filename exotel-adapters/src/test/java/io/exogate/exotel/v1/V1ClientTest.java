package io.exogate.exotel.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.PageCursor;
import io.exogate.exotel.test.SandboxAccounts;
import io.exogate.exotel.test.SettableClock;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class V1ClientTest {

	private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

	private static final SettableClock clock = new SettableClock(START);

	private static Sandbox sandbox;

	private static SandboxAccounts accounts;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().clock(clock).seed(11).rateLimitPerMinute(100_000).build());
		accounts = new SandboxAccounts(sandbox, clock);
	}

	@AfterAll
	static void stop() throws Exception {
		accounts.close();
		sandbox.close();
	}

	@BeforeEach
	void resetCounters() {
		sandbox.reset();
	}

	@Test
	void aCallComesWithItsLegsInUtc() {
		Call sample = firstPage(CallQuery.builder().status(CallStatus.COMPLETED).build(), 5).calls().get(0);
		sandbox.reset();
		accounts.v1.call(SandboxAccounts.ACCOUNT, sample.sid())
			.as(StepVerifier::create)
			.assertNext((call) -> {
				assertThat(call.sid()).isEqualTo(sample.sid());
				assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
				assertThat(call.legs()).hasSize(2);
				assertThat(call.legs().get(0).status()).isEqualTo(CallStatus.COMPLETED);
				assertThat(call.createdAt()).isBefore(START).isAfter(START.minus(Duration.ofHours(2)));
				assertThat(call.endedAt()).isAfter(call.startedAt());
				assertThat(call.duration()).isEqualTo(Duration.between(call.startedAt(), call.endedAt()));
				assertThat(call.conversationDuration()).isPositive();
				assertThat(call.price().amount()).isPositive();
			})
			.verifyComplete();
		assertThat(sandbox.stats().get("v1.calls.get")).isEqualTo(1);
	}

	@Test
	void anUnknownCallIsNotFound() {
		accounts.v1.call(SandboxAccounts.ACCOUNT, "0123456789abcdef0123456789abcdef")
			.as(StepVerifier::create)
			.verifyError(NotFoundException.class);
	}

	@Test
	void nothingIsRequestedBeforeSubscription() {
		Mono<Call> call = accounts.v1.call(SandboxAccounts.ACCOUNT, "0123456789abcdef0123456789abcdef");
		Mono<CallPage> page = accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.any(), PageRequest.first(10));
		accounts.v1.calls(SandboxAccounts.ACCOUNT, List.of("abc"));
		accounts.v1.presignedRecording(SandboxAccounts.ACCOUNT, "abc");
		assertThat(total()).isZero();
		page.as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(1);
		call.as(StepVerifier::create).verifyError(NotFoundException.class);
		assertThat(sandbox.stats().get("v1.calls.get")).isEqualTo(1);
	}

	@Test
	void aPageOfAHundredIsOneRequestAndCarriesTheTotal() {
		CallPage page = firstPage(CallQuery.any(), 100);
		assertThat(page.calls()).hasSize(100);
		assertThat(page.totalCount()).isGreaterThan(2000);
		assertThat(page.hasNext()).isTrue();
		assertThat(page.hasPrevious()).isFalse();
		assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(1);
	}

	@Test
	void pagingAcrossMoreThanAThousandCallsLosesAndRepeatsNothing() {
		CallQuery query = CallQuery.builder().window(TimeWindow.endingAt(START, Duration.ofDays(14))).build();
		List<String> forward = new ArrayList<>();
		List<String> pageCursors = new ArrayList<>();
		CallPage page = firstPage(query, 100);
		long total = page.totalCount();
		while (true) {
			page.calls().forEach((call) -> forward.add(call.sid()));
			if (!page.hasNext()) {
				break;
			}
			pageCursors.add(page.nextCursor());
			page = accounts.v1.search(SandboxAccounts.ACCOUNT, query, PageRequest.after(100, page.nextCursor())).block();
		}
		assertThat(forward).hasSizeGreaterThan(1000).hasSize((int) total);
		assertThat(new HashSet<>(forward)).hasSize(forward.size());
		// and back again with 'before' cursors
		List<String> backward = new ArrayList<>();
		String before = page.previousCursor();
		List<String> lastPage = page.calls().stream().map(Call::sid).toList();
		while (before != null) {
			CallPage previous = accounts.v1.search(SandboxAccounts.ACCOUNT, query, PageRequest.before(100, before)).block();
			List<String> sids = previous.calls().stream().map(Call::sid).toList();
			backward.addAll(0, sids);
			before = previous.previousCursor();
		}
		backward.addAll(lastPage);
		assertThat(backward).isEqualTo(forward);
	}

	@Test
	void pagesAreInTheRequestedOrder() {
		CallQuery oldestFirst = CallQuery.builder().window(TimeWindow.endingAt(START, Duration.ofDays(3))).sort(CallSort.OLDEST_FIRST).build();
		List<Call> calls = firstPage(oldestFirst, 50).calls();
		for (int i = 1; i < calls.size(); i++) {
			assertThat(calls.get(i).createdAt()).isAfterOrEqualTo(calls.get(i - 1).createdAt());
		}
	}

	@Test
	void aTwoMonthSearchIsSplitIntoMonthlyRequestsAndMergedInOrder() {
		CallQuery twoMonths = CallQuery.builder().window(new TimeWindow(START.minus(Duration.ofDays(59)), START)).build();
		List<Call> all = accounts.everyCall(twoMonths).collectList().block();
		assertThat(all).hasSizeGreaterThan(4500);
		assertThat(all.stream().map(Call::sid).distinct()).hasSize(all.size());
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).createdAt()).isBeforeOrEqualTo(all.get(i - 1).createdAt());
		}
		assertThat(all.get(all.size() - 1).createdAt()).isBefore(START.minus(Duration.ofDays(30)));
		assertThat(sandbox.stats().get("v1.calls.list")).as("every request within Exotel's one-month limit answered 200")
			.isGreaterThanOrEqualTo(all.size() / 100);
		// a page that crosses the month boundary continues into the older window
		CallQuery boundary = CallQuery.builder()
			.window(new TimeWindow(START.minus(Duration.ofDays(59)), START.minus(Duration.ofDays(29)).minus(Duration.ofHours(6))))
			.build();
		CallPage page = firstPage(boundary, 100);
		assertThat(page.calls()).hasSize(100);
		assertThat(page.calls().get(99).createdAt()).isBefore(START.minus(Duration.ofDays(29)).minus(Duration.ofHours(6)));
	}

	@Test
	void twelveNumbersFanOutInFivesAndMergeWithoutDuplicates() {
		List<Call> recent = firstPage(CallQuery.any(), 100).calls();
		List<String> customers = recent.stream()
			.map((call) -> call.direction() == CallDirection.INBOUND ? call.from() : call.to())
			.distinct()
			.limit(12)
			.toList();
		assertThat(customers).hasSize(12);
		sandbox.reset();
		CallQuery query = CallQuery.builder().customerNumbers(customers).window(TimeWindow.endingAt(START, Duration.ofDays(20))).build();
		CallPage page = firstPage(query, 100);
		assertThat(sandbox.stats().get("v1.calls.list")).as("3 groups of numbers, each as From and as To").isEqualTo(6);
		assertThat(page.calls()).isNotEmpty();
		assertThat(page.calls().stream().map(Call::sid).distinct()).hasSize(page.calls().size());
		assertThat(page.calls()).allMatch((call) -> customers.contains(call.from()) || customers.contains(call.to()));
		for (int i = 1; i < page.calls().size(); i++) {
			assertThat(page.calls().get(i).createdAt()).isBeforeOrEqualTo(page.calls().get(i - 1).createdAt());
		}
		Set<String> matching = accounts.everyCall(CallQuery.builder().window(query.window()).build())
			.filter((call) -> customers.contains(call.from()) || customers.contains(call.to()))
			.map(Call::sid)
			.collect(Collectors.toSet())
			.block();
		List<String> paged = new ArrayList<>();
		CallPage current = page;
		while (true) {
			current.calls().forEach((call) -> paged.add(call.sid()));
			if (!current.hasNext()) {
				break;
			}
			current = accounts.v1.search(SandboxAccounts.ACCOUNT, query, PageRequest.after(100, current.nextCursor())).block();
		}
		assertThat(paged).hasSize(matching.size()).containsExactlyInAnyOrderElementsOf(matching);
	}

	@Test
	void aCustomerNumberFindsTheSameCallsHoweverItIsWritten() {
		TimeWindow window = TimeWindow.endingAt(START, Duration.ofDays(20));
		Call sample = firstPage(CallQuery.builder().window(window).build(), 1).calls().get(0);
		String customer = (sample.direction() == CallDirection.INBOUND) ? sample.from() : sample.to();
		assertThat(customer).matches("\\+91[0-9]{10}");
		String national = customer.substring(3);
		List<String> spellings = List.of("+91" + national, "91" + national, "0" + national, national,
				"+91 " + national.substring(0, 5) + "-" + national.substring(5));
		List<String> expected = sids(firstPage(CallQuery.builder().customerNumbers(List.of(customer)).window(window).build(), 100));
		assertThat(expected).contains(sample.sid());
		for (String written : spellings) {
			CallQuery query = CallQuery.builder().customerNumbers(List.of(written)).window(window).build();
			assertThat(sids(firstPage(query, 100))).as(written).isEqualTo(expected);
			assertThat(accounts.everyCall(query).map(Call::sid).collectList().block()).as(written).isEqualTo(expected);
		}
		sandbox.reset();
		CallPage together = firstPage(CallQuery.builder().customerNumbers(spellings).window(window).build(), 100);
		assertThat(sids(together)).isEqualTo(expected);
		assertThat(sandbox.stats().get("v1.calls.list")).as("one number, sent once as From and once as To").isEqualTo(2);
	}

	@Test
	void anExophoneFindsTheSameCallsHoweverItIsWritten() {
		TimeWindow window = TimeWindow.endingAt(START, Duration.ofDays(2));
		String exophone = firstPage(CallQuery.builder().window(window).build(), 1).calls().get(0).exophone();
		String national = exophone.substring(3);
		List<String> expected = sids(firstPage(CallQuery.builder().exophones(List.of(exophone)).window(window).build(), 100));
		assertThat(expected).hasSizeGreaterThan(10);
		for (String written : List.of("91" + national, "0" + national, national)) {
			assertThat(sids(firstPage(CallQuery.builder().exophones(List.of(written)).window(window).build(), 100))).as(written)
				.isEqualTo(expected);
		}
	}

	@Test
	void numbersAreE164WhereverExotelWritesThemNationally() throws Exception {
		HttpResponse<String> raw = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/v1/Accounts/" + SandboxAccounts.ACCOUNT
					+ "/Calls.json?PageSize=100"))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("demo-key:demo-token".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(raw.body()).as("Exotel writes some numbers nationally").containsPattern("\"From\"\\s*:\\s*\"0[0-9]{10}\"");
		CallPage page = accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.any(), PageRequest.first(100)).block();
		assertThat(page.calls()).hasSize(100).allSatisfy((call) -> {
			assertThat(call.from()).matches("\\+91[0-9]{10}");
			assertThat(call.to()).matches("\\+91[0-9]{10}");
			assertThat(call.exophone()).matches("\\+91[0-9]{10}");
		});
		Call one = accounts.v1.call(SandboxAccounts.ACCOUNT, page.calls().get(0).sid()).block();
		assertThat(one.from()).isEqualTo(page.calls().get(0).from());
		assertThat(one.exophone()).isEqualTo(page.calls().get(0).exophone());
	}

	@Test
	void inboundCustomerNumbersAreSearchedAsFromOnly() {
		CallQuery query = CallQuery.builder().customerNumbers(List.of("+919800000001")).direction(CallDirection.INBOUND).build();
		firstPage(query, 10);
		assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(1);
	}

	@Test
	void filtersReachExotelAndHasRecordingIsAppliedHere() {
		CallQuery query = CallQuery.builder()
			.status(CallStatus.COMPLETED)
			.direction(CallDirection.OUTBOUND)
			.duration(Duration.ofSeconds(60), Duration.ofSeconds(300))
			.hasRecording(false)
			.window(TimeWindow.endingAt(START, Duration.ofDays(20)))
			.build();
		CallPage page = firstPage(query, 20);
		assertThat(page.calls()).isNotEmpty().allSatisfy((call) -> {
			assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
			assertThat(call.direction()).isEqualTo(CallDirection.OUTBOUND);
			assertThat(call.duration()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(300));
		});
		Set<String> sids = page.calls().stream().map(Call::sid).collect(Collectors.toSet());
		accounts.v3.recordings(SandboxAccounts.ACCOUNT, sids, io.exogate.model.recording.RecordingFormat.MP3,
				io.exogate.model.recording.RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.thenConsumeWhile((recording) -> recording.status() == RecordingStatus.NOT_AVAILABLE)
			.verifyComplete();
	}

	@Test
	void manySidsAreLookedUpAHundredAtATime() {
		List<String> sids = accounts.everyCall(CallQuery.builder().window(TimeWindow.endingAt(START, Duration.ofDays(5))).build())
			.take(150).map(Call::sid).collectList().block();
		sandbox.reset();
		List<String> withUnknown = new ArrayList<>(sids);
		withUnknown.add("00000000000000000000000000000000");
		Set<String> found = accounts.v1.calls(SandboxAccounts.ACCOUNT, withUnknown).map(Call::sid).collect(Collectors.toSet()).block();
		assertThat(found).containsExactlyInAnyOrderElementsOf(sids);
		assertThat(sandbox.stats().get("v1.calls.list")).isEqualTo(2);
	}

	@Test
	void injectionAttemptsAreRejectedBeforeAnyRequest() {
		for (String sid : List.of("abc/../../v1/Accounts/exogate-demo-2", "abc?Status=failed", "abc;lte:1", "abc,def",
				"abc%2F", "a b", "", "abc&PageSize=1000")) {
			accounts.v1.call(SandboxAccounts.ACCOUNT, sid).as(StepVerifier::create).verifyError(BadRequestException.class);
			accounts.v3.recording(SandboxAccounts.ACCOUNT, sid, io.exogate.model.recording.RecordingFormat.MP3,
					io.exogate.model.recording.RecordingChannel.SINGLE).as(StepVerifier::create).verifyError(BadRequestException.class);
			accounts.v4.call(SandboxAccounts.ACCOUNT, sid).as(StepVerifier::create).verifyError(BadRequestException.class);
			accounts.v1.calls(SandboxAccounts.ACCOUNT, List.of("ok", sid)).as(StepVerifier::create).verifyError(BadRequestException.class);
		}
		for (String cursor : List.of("garbage", new PageCursor(io.exogate.model.call.ApiVersion.V1, START, java.util.Set.of("x"), java.util.Set.of("x")).encode() + "&Sid=1",
				java.util.Base64.getUrlEncoder().encodeToString("V1:1:abc;lte:x".getBytes()))) {
			accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.any(), PageRequest.after(10, cursor))
				.as(StepVerifier::create)
				.verifyError(BadRequestException.class);
		}
		accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder().agentId("agent_001").build(), PageRequest.first(10))
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder().status(CallStatus.MISSED).build(), PageRequest.first(10))
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder()
			.window(new TimeWindow(START.minus(Duration.ofDays(200)), START)).build(), PageRequest.first(10))
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> assertThat(error).isInstanceOf(BadRequestException.class).hasMessageContaining("6 months"));
		accounts.v1.call("someone-else", "abc").as(StepVerifier::create).verifyError(NotFoundException.class);
		assertThat(total()).as("no request reached Exotel").isZero();
	}

	@Test
	void aPreSignedRecordingUrlPlaysAndExpiresWhenItSays() throws Exception {
		Call recorded = firstPage(CallQuery.builder().status(CallStatus.COMPLETED).hasRecording(true)
			.window(TimeWindow.endingAt(START, Duration.ofDays(2))).build(), 1).calls().get(0);
		var recording = accounts.v1.presignedRecording(SandboxAccounts.ACCOUNT, recorded.sid()).block();
		assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE);
		assertThat(recording.url().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
		HttpResponse<Void> media = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(recording.url().uri()).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.discarding());
		assertThat(media.statusCode()).isEqualTo(200);
	}

	private static CallPage firstPage(CallQuery query, int size) {
		return accounts.v1.search(SandboxAccounts.ACCOUNT, query, PageRequest.first(size)).block();
	}

	private static List<String> sids(CallPage page) {
		return page.calls().stream().map(Call::sid).toList();
	}

	private static long total() {
		Map<String, Long> stats = sandbox.stats();
		return stats.values().stream().mapToLong(Long::longValue).sum();
	}


}
