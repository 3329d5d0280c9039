package io.exogate.exotel.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SandboxAccounts;
import io.exogate.exotel.test.SettableClock;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.recording.ExportStatus;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class V3AndV4ClientTest {

	private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

	private static final SettableClock clock = new SettableClock(START);

	private static Sandbox sandbox;

	private static SandboxAccounts accounts;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().clock(clock).seed(5).rateLimitPerMinute(100_000)
			.signedUrlLifetime(Duration.ofMinutes(10)).build());
		accounts = new SandboxAccounts(sandbox, clock);
	}

	@AfterAll
	static void stop() throws Exception {
		accounts.close();
		sandbox.close();
	}

	@BeforeEach
	void reset() {
		sandbox.reset();
	}

	@Test
	void theSameCallFromEachVersionAgrees() {
		Call v1 = recentCompleted();
		Call v3 = accounts.source.call(SandboxAccounts.ACCOUNT, v1.sid(), ApiVersion.V3).block();
		Call v4 = accounts.source.call(SandboxAccounts.ACCOUNT, v1.sid(), ApiVersion.V4).block();
		assertThat(v3.startedAt()).isEqualTo(v1.startedAt());
		assertThat(v4.startedAt()).isEqualTo(v1.startedAt());
		assertThat(v3.endedAt()).isEqualTo(v1.endedAt());
		assertThat(v4.endedAt()).isEqualTo(v1.endedAt());
		assertThat(v3.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(v4.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(v3.direction()).isEqualTo(v1.direction());
		assertThat(v1.exophone()).matches("\\+91[0-9]{10}");
		assertThat(v3.exophone()).isEqualTo(v1.exophone());
		assertThat(v4.exophone()).isEqualTo(v1.exophone());
		assertThat(v4.customer().number()).matches("\\+91[0-9]{10}")
			.isEqualTo((v1.direction() == io.exogate.model.call.CallDirection.INBOUND) ? v1.from() : v1.to());
		assertThat(v4.agent()).isNotNull();
		assertThat(v4.timeline()).isNotEmpty();
		assertThat(v3.sources()).containsExactly(ApiVersion.V3);
		assertThat(v4.sources()).containsExactly(ApiVersion.V4);
	}

	@Test
	void activeCallsHaveNoEndYet() {
		List<Call> active = accounts.source.activeCalls(SandboxAccounts.ACCOUNT).collectList().block();
		assertThat(active).isNotEmpty().allSatisfy((call) -> {
			assertThat(call.endedAt()).as("the epoch placeholder is absent, not 1970").isNull();
			assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
			assertThat(call.rawStatus()).isEqualTo("active");
		});
	}

	@Test
	void aRecordingCarriesTheExpiryItsResponseStates() {
		Call call = recentCompleted();
		accounts.source.recording(SandboxAccounts.ACCOUNT, call.sid(), RecordingFormat.WAV, RecordingChannel.DUAL)
			.as(StepVerifier::create)
			.assertNext((recording) -> {
				assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE);
				assertThat(recording.url().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
				assertThat(recording.format()).isEqualTo(RecordingFormat.WAV);
				assertThat(recording.channel()).isEqualTo(RecordingChannel.DUAL);
				assertThat(recording.sizeBytes()).isEqualTo(44 + recording.duration().getSeconds() * 8000 * 2 * 2);
			})
			.verifyComplete();
	}

	@Test
	void aCallWithoutRecordingIsNotAvailableRatherThanAnError() {
		Call busy = accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder().status(CallStatus.BUSY).build(), PageRequest.first(1))
			.block().calls().get(0);
		accounts.source.recording(SandboxAccounts.ACCOUNT, busy.sid(), RecordingFormat.MP3, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.assertNext((recording) -> {
				assertThat(recording.status()).isEqualTo(RecordingStatus.NOT_AVAILABLE);
				assertThat(recording.url()).isNull();
			})
			.verifyComplete();
	}

	@Test
	void bulkRecordingsAreOneRequestPerHundredAndTakeTheUrlsOwnExpiry() {
		List<String> sids = accounts.everyCall(CallQuery.builder().window(TimeWindow.endingAt(START, Duration.ofDays(3))).build())
			.take(230).map(Call::sid).collectList().block();
		sandbox.reset();
		List<String> requested = new ArrayList<>(sids);
		requested.addAll(sids.subList(0, 10));
		Map<String, Recording> recordings = accounts.source.recordings(SandboxAccounts.ACCOUNT, requested, RecordingFormat.MP3,
				RecordingChannel.SINGLE).collectMap(Recording::callSid, Function.identity()).block();
		assertThat(recordings).hasSize(230);
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).isEqualTo(3);
		List<Recording> available = recordings.values().stream().filter((r) -> r.status() == RecordingStatus.AVAILABLE).toList();
		assertThat(available.size() * 100 / 230).isBetween(65, 90);
		assertThat(available).allSatisfy((recording) -> assertThat(recording.url().expiresAt())
			.as("bulk entries state no expires_at: the URL's own expiry is used").isEqualTo(START.plus(Duration.ofMinutes(10))));
	}

	@Test
	void anExportStartsOnce() {
		RecordingExportRequest request = new RecordingExportRequest(TimeWindow.endingAt(START, Duration.ofDays(1)), RecordingFormat.MP3,
				URI.create("http://127.0.0.1:9/export?secret=s"));
		accounts.source.requestExport(SandboxAccounts.ACCOUNT, request)
			.as(StepVerifier::create)
			.assertNext((export) -> {
				assertThat(export.exportId()).startsWith("export_");
				assertThat(export.status()).isEqualTo(ExportStatus.PROCESSING);
				assertThat(export.callbackUrl()).isEqualTo(request.callbackUrl());
			})
			.verifyComplete();
		assertThat(sandbox.stats().get("v3.voice-logs.export")).isEqualTo(1);
	}

	@Test
	void agentSearchesGoToV4AndPageWithoutLossOrRepeat() {
		CallQuery byAgent = CallQuery.builder().agentId("agent_002").window(TimeWindow.endingAt(START, Duration.ofDays(30))).build();
		CallPage first = accounts.source.search(SandboxAccounts.ACCOUNT, byAgent, PageRequest.first(50)).block();
		assertThat(sandbox.stats().get("v4.voicelogs.list")).isEqualTo(1);
		assertThat(sandbox.stats().get("v1.calls.list")).isZero();
		List<String> sids = new ArrayList<>();
		CallPage page = first;
		while (true) {
			assertThat(page.calls()).allSatisfy((call) -> assertThat(call.agent().id()).isEqualTo("agent_002"));
			page.calls().forEach((call) -> sids.add(call.sid()));
			if (!page.hasNext()) {
				break;
			}
			page = accounts.source.search(SandboxAccounts.ACCOUNT, byAgent, PageRequest.after(50, page.nextCursor())).block();
		}
		assertThat(sids).hasSize(first.totalCount().intValue());
		assertThat(new HashSet<>(sids)).hasSize(sids.size());
	}

	@Test
	void aV4SearchFindsACustomerAndAnExophoneHoweverTheNumbersAreWritten() {
		TimeWindow window = TimeWindow.endingAt(START, Duration.ofDays(30));
		CallQuery byAgent = CallQuery.builder().agentId("agent_002").window(window).build();
		Call sample = accounts.v4.search(SandboxAccounts.ACCOUNT, byAgent, PageRequest.first(1)).block().calls().get(0);
		String customer = sample.customer().number();
		assertThat(customer).matches("\\+91[0-9]{10}");
		assertThat(sample.exophone()).matches("\\+91[0-9]{10}");
		List<String> expected = null;
		for (String written : spellings(customer)) {
			CallQuery query = CallQuery.builder().agentId("agent_002").customerNumbers(List.of(written)).window(window).build();
			List<String> sids = accounts.source.search(SandboxAccounts.ACCOUNT, query, PageRequest.first(100)).block()
				.calls().stream().map(Call::sid).toList();
			assertThat(sids).as(written).contains(sample.sid());
			expected = (expected != null) ? expected : sids;
			assertThat(sids).as(written).isEqualTo(expected);
			assertThat(everyV4Call(query).map(Call::sid).collectList().block()).as(written).isEqualTo(expected);
		}
		CallQuery allSpellings = CallQuery.builder().agentId("agent_002").customerNumbers(spellings(customer)).window(window).build();
		assertThat(accounts.source.search(SandboxAccounts.ACCOUNT, allSpellings, PageRequest.first(100)).block().calls())
			.extracting(Call::sid).isEqualTo(expected);
		List<String> byExophone = null;
		for (String written : spellings(sample.exophone())) {
			CallQuery query = CallQuery.builder().agentId("agent_002").exophones(List.of(written)).window(window).build();
			List<String> sids = accounts.source.search(SandboxAccounts.ACCOUNT, query, PageRequest.first(100)).block()
				.calls().stream().map(Call::sid).toList();
			assertThat(sids).as(written).contains(sample.sid());
			byExophone = (byExophone != null) ? byExophone : sids;
			assertThat(sids).as(written).isEqualTo(byExophone);
		}
	}

	@Test
	void v4OnlyStatusesAreSearchedInV4AndFilteredHereWhenSeveral() {
		CallQuery missed = CallQuery.builder().status(CallStatus.MISSED).status(CallStatus.ABANDONED)
			.window(TimeWindow.endingAt(START, Duration.ofDays(10))).build();
		CallPage page = accounts.source.search(SandboxAccounts.ACCOUNT, missed, PageRequest.first(30)).block();
		assertThat(page.calls()).hasSize(30)
			.allSatisfy((call) -> assertThat(call.status()).isIn(CallStatus.MISSED, CallStatus.ABANDONED));
		assertThat(page.calls()).extracting(Call::sources).allSatisfy((sources) -> assertThat(sources).containsExactly(ApiVersion.V4));
	}

	@Test
	void aV4PageOfAHundredIsOneRequest() {
		CallPage page = accounts.source.search(SandboxAccounts.ACCOUNT, CallQuery.builder().agentId("agent_001").build(),
				PageRequest.first(100)).block();
		assertThat(page.calls()).isNotEmpty();
		assertThat(sandbox.stats().get("v4.voicelogs.list")).isEqualTo(1);
	}

	@Test
	void aCursorContinuesOnTheVersionThatIssuedIt() {
		CallPage v4Page = accounts.source.search(SandboxAccounts.ACCOUNT, CallQuery.builder().agentId("agent_003").build(),
				PageRequest.first(5)).block();
		accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.any(), PageRequest.after(5, v4Page.nextCursor()))
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		sandbox.reset();
		accounts.source.search(SandboxAccounts.ACCOUNT, CallQuery.builder().agentId("agent_003").build(), PageRequest.after(5, v4Page.nextCursor()))
			.as(StepVerifier::create)
			.assertNext((page) -> assertThat(page.calls()).hasSize(5).doesNotContainAnyElementsOf(v4Page.calls()))
			.verifyComplete();
		assertThat(sandbox.stats().get("v4.voicelogs.list")).isEqualTo(1);
	}

	@Test
	void bulkSidsAreCheckedBeforeAnyRequest() {
		List<String> sids = IntStream.range(0, 5).mapToObj((i) -> "ok" + i).collect(Collectors.toList());
		sids.add("bad\"]}");
		accounts.source.recordings(SandboxAccounts.ACCOUNT, sids, RecordingFormat.MP3, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		assertThat(sandbox.stats().get("v3.voice-logs.bulk")).isZero();
	}

	/** Every call of a v4 search of the demo account, page after page through its cursors, as a client pages. */
	private static Flux<Call> everyV4Call(CallQuery query) {
		return accounts.v4.search(SandboxAccounts.ACCOUNT, query, PageRequest.first(PageRequest.MAX_SIZE))
			.expand((page) -> page.hasNext()
					? accounts.v4.search(SandboxAccounts.ACCOUNT, query, PageRequest.after(PageRequest.MAX_SIZE, page.nextCursor()))
					: Mono.empty())
			.concatMapIterable(CallPage::calls);
	}

	/** {@code +919800758655} as {@code +919800758655}, {@code 919800758655}, {@code 09800758655} and {@code 9800758655}. */
	private static List<String> spellings(String e164) {
		String national = e164.substring(3);
		return List.of(e164, "91" + national, "0" + national, national);
	}

	private static Call recentCompleted() {
		return accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder().status(CallStatus.COMPLETED).hasRecording(true)
			.window(TimeWindow.endingAt(START.minus(Duration.ofHours(1)), Duration.ofDays(2))).build(), PageRequest.first(1))
			.block().calls().get(0);
	}

}
