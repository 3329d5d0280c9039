package io.exogate.exotel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.exogate.exotel.test.SettableClock;
import io.exogate.exotel.v1.V1Client;
import io.exogate.exotel.v3.V3Client;
import io.exogate.exotel.v4.V4Client;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import io.exogate.model.call.TimeWindow;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.ExogateException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What Exotel answers is checked, not trusted: vocabulary exogate does not know is kept raw, values
 * it cannot read are Exotel's failure in words of our own, and links already expired are not
 * handed out.
 */
class CheckedAnswersTest {

	private static final String ACCOUNT = "your_sid";

	private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

	private static final String MEDIA = "https://recordings.exotel.com/exotelrecordings/your_sid/";

	private WireMockServer server;

	private ExotelConnections connections;

	private V1Client v1;

	private V3Client v3;

	private V4Client v4;

	@BeforeEach
	void start() {
		this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.server.start();
		URI base = URI.create(this.server.baseUrl());
		ExotelProperties properties = new ExotelProperties(List.of(new ExotelProperties.Account(ACCOUNT, null, "k", "t", "v4",
				new ExotelProperties.BaseUrls(base, base, base), null, null, null, null)), null,
				new ExotelProperties.Resilience(1, null, null, null, null, null), null, null, null);
		AdapterMetrics metrics = new AdapterMetrics(new SimpleMeterRegistry());
		this.connections = new ExotelConnections(properties, RequestBudget.inProcess(properties, metrics), metrics);
		SettableClock clock = new SettableClock(NOW);
		this.v1 = new V1Client(this.connections, clock);
		this.v3 = new V3Client(this.connections, clock);
		this.v4 = new V4Client(this.connections, clock);
	}

	@AfterEach
	void stop() throws Exception {
		this.connections.close();
		this.server.stop();
	}

	@Test
	void aVoiceLogInAFormatAndChannelExogateDoesNotKnowIsUnknownWithTheRawValuesKept() {
		voiceLog("c1", "{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.ogg\",\"recording_size_bytes\":472000,"
				+ "\"format\":\"ogg\",\"channel\":\"quad\",\"expires_at\":\"2026-11-21T10:00:00.000Z\"}");
		this.v3.recording(ACCOUNT, "c1", RecordingFormat.MP3, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.assertNext((recording) -> {
				assertThat(recording.status()).isEqualTo(RecordingStatus.AVAILABLE);
				assertThat(recording.format()).isEqualTo(RecordingFormat.UNKNOWN);
				assertThat(recording.rawFormat()).isEqualTo("ogg");
				assertThat(recording.channel()).isEqualTo(RecordingChannel.UNKNOWN);
				assertThat(recording.rawChannel()).isEqualTo("quad");
				assertThat(recording.sizeBytes()).isEqualTo(472000L);
				assertThat(recording.url().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
			})
			.verifyComplete();
	}

	@Test
	void aVoiceLogKeepsTheFormatAndChannelAsWrittenAndAssumesTheRequestedOnesWhenNoneIsStated() {
		voiceLog("c1", "{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.wav\",\"format\":\" WAV \"}");
		this.v3.recording(ACCOUNT, "c1", RecordingFormat.MP3, RecordingChannel.DUAL)
			.as(StepVerifier::create)
			.assertNext((recording) -> {
				assertThat(recording.format()).isEqualTo(RecordingFormat.WAV);
				assertThat(recording.rawFormat()).isEqualTo("WAV");
				assertThat(recording.channel()).isEqualTo(RecordingChannel.DUAL);
				assertThat(recording.rawChannel()).as("upstream stated no channel").isNull();
			})
			.verifyComplete();
	}

	@Test
	void bulkVoiceLogsInUnknownFormatsAreUnknownAndExpiredOnesCarryNoUrl() {
		bulk("{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.opus\",\"format\":\"opus\",\"status\":\"available\"},"
				+ "{\"call_sid\":\"c2\",\"recording_url\":\"" + MEDIA + "c2.mp3?X-Amz-Date=20261120T093000Z&X-Amz-Expires=1800\","
				+ "\"status\":\"available\"}, null");
		Map<String, Recording> recordings = this.v3.recordings(ACCOUNT, List.of("c1", "c2"), RecordingFormat.MP3, RecordingChannel.SINGLE)
			.collect(Collectors.toMap(Recording::callSid, Function.identity()))
			.block();
		assertThat(recordings).containsOnlyKeys("c1", "c2");
		assertThat(recordings.get("c1").format()).isEqualTo(RecordingFormat.UNKNOWN);
		assertThat(recordings.get("c1").rawFormat()).isEqualTo("opus");
		assertThat(recordings.get("c1").status()).isEqualTo(RecordingStatus.AVAILABLE);
		assertThat(recordings.get("c2").status()).as("its URL expired at 10:00:00, now").isEqualTo(RecordingStatus.EXPIRED);
		assertThat(recordings.get("c2").url()).isNull();
	}

	@Test
	void aVoiceLogWhoseStatedExpiryHasPassedIsExpiredWithoutUrlWhateverItsStatus() {
		voiceLog("c1", "{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.mp3\",\"status\":\"available\","
				+ "\"expires_at\":\"2026-11-20T09:59:59.000Z\"}");
		voiceLog("c2", "{\"call_sid\":\"c2\",\"recording_url\":\"" + MEDIA + "c2.mp3\",\"expires_at\":\"2026-11-20T10:00:00.000Z\"}");
		voiceLog("c3", "{\"call_sid\":\"c3\",\"recording_url\":\"" + MEDIA + "c3.mp3?Expires=" + NOW.minusSeconds(60).getEpochSecond()
				+ "&Signature=s\",\"status\":\"processing\"}");
		for (String sid : List.of("c1", "c2", "c3")) {
			this.v3.recording(ACCOUNT, sid, RecordingFormat.MP3, RecordingChannel.SINGLE)
				.as(StepVerifier::create)
				.assertNext((recording) -> {
					assertThat(recording.status()).as(sid).isEqualTo(RecordingStatus.EXPIRED);
					assertThat(recording.url()).as(sid).isNull();
				})
				.verifyComplete();
		}
	}

	@Test
	void aPreSignedUrlThatHasAlreadyExpiredIsExpiredWithoutUrl() {
		call("c6", "{\"Call\":{\"Sid\":\"c6\",\"Status\":\"completed\",\"PreSignedRecordingUrl\":\"" + MEDIA + "c6.mp3?Expires="
				+ NOW.getEpochSecond() + "&Signature=s\"}}");
		this.v1.presignedRecording(ACCOUNT, "c6")
			.as(StepVerifier::create)
			.assertNext((recording) -> {
				assertThat(recording.status()).isEqualTo(RecordingStatus.EXPIRED);
				assertThat(recording.url()).isNull();
			})
			.verifyComplete();
	}

	@Test
	void anUnreadableRecordingSizeIsUpstreamUnavailableInWordsOfOurOwn() {
		voiceLog("c1", "{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.mp3\",\"recording_size_bytes\":\"12kB\"}");
		this.v3.recording(ACCOUNT, "c1", RecordingFormat.MP3, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v3 returned an unreadable voice log"));
	}

	@Test
	void anUnreadableExpiryIsUpstreamUnavailable() {
		voiceLog("c1", "{\"call_sid\":\"c1\",\"recording_url\":\"" + MEDIA + "c1.mp3\",\"expires_at\":\"soon\"}");
		this.v3.recording(ACCOUNT, "c1", RecordingFormat.MP3, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v3 returned an unreadable voice log"));
	}

	@Test
	void aV1TotalThatIsNotAWholeNonNegativeNumberIsUpstreamUnavailable() {
		for (String total : List.of("\"many\"", "\"-3\"", "12.5", "\"99999999999999999999\"")) {
			this.server.resetAll();
			this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls.json")).willReturn(json(200,
					"{\"Metadata\":{\"Total\":" + total + ",\"NextPageUri\":null},\"Calls\":[]}")));
			this.v1.search(ACCOUNT, CallQuery.any(), PageRequest.first(10))
				.as(StepVerifier::create)
				.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v1 returned an unreadable total"));
		}
	}

	@Test
	void aV4TotalThatIsNotAWholeNonNegativeNumberIsUpstreamUnavailable() {
		for (String total : List.of("\"lots\"", "-1", "4.5")) {
			this.server.resetAll();
			this.server.stubFor(get(urlPathEqualTo("/v4/accounts/your_sid/voicelogs")).willReturn(json(200,
					"{\"response\":{\"data\":{\"voicelogs\":[]},\"metadata\":{\"total\":" + total + ",\"has_next\":false}}}")));
			this.v4.search(ACCOUNT, CallQuery.builder().agentId("agent_001").build(), PageRequest.first(10))
				.as(StepVerifier::create)
				.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v4 returned an unreadable total"));
		}
	}

	@Test
	void aWholeTotalIsTheSearchsTotal() {
		this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls.json")).willReturn(json(200,
				"{\"Metadata\":{\"Total\":42.0,\"NextPageUri\":null},\"Calls\":[{\"Sid\":\"c1\",\"DateCreated\":\"2026-11-20 15:00:00\"}]}")));
		this.v1.search(ACCOUNT, CallQuery.builder().window(TimeWindow.endingAt(NOW, Duration.ofDays(1))).build(), PageRequest.first(10))
			.as(StepVerifier::create)
			.assertNext((page) -> assertThat(page.totalCount()).isEqualTo(42L))
			.verifyComplete();
	}

	@Test
	void aBatchOfSidsIsOneRequestThoughExotelOffersANextPage() {
		this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls.json")).willReturn(json(200,
				"{\"Metadata\":{\"NextPageUri\":\"/v1/Accounts/your_sid/Calls.json?Sid=c1,c2&PageSize=100&After=c2\"},"
						+ "\"Calls\":[{\"Sid\":\"c1\",\"DateCreated\":\"2026-11-20 15:00:00\"},"
						+ "{\"Sid\":\"c2\",\"DateCreated\":\"2026-11-20 15:01:00\"}]}")));
		this.v1.calls(ACCOUNT, List.of("c1", "c2"))
			.map(io.exogate.model.call.Call::sid)
			.collectList()
			.as(StepVerifier::create)
			.assertNext((sids) -> assertThat(sids).containsExactlyInAnyOrder("c1", "c2"))
			.verifyComplete();
		assertThat(this.server.getAllServeEvents()).as("the page after a whole batch leads nowhere").hasSize(1);
	}

	@Test
	void anUnreadableV1CallIsUpstreamUnavailableWithoutTheLibrarysMessage() {
		call("c5", "{\"Call\":{\"Sid\":\"c5\",\"Status\":\"completed\",\"Details\":{\"Legs\":[{\"Leg\":{\"Id\":\"first\"}}]}}}");
		this.v1.call(ACCOUNT, "c5")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v1 returned an unreadable call"));
	}

	@Test
	void anUnreadableV3CallIsUpstreamUnavailableInWordsOfOurOwn() {
		this.server.stubFor(get(urlPathEqualTo("/v3/accounts/your_sid/calls/c7"))
			.willReturn(json(200, "{\"response\":{\"call_details\":{\"sid\":\"c7\",\"start_time\":\"yesterday\"}}}")));
		this.v3.call(ACCOUNT, "c7")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v3 returned an unreadable call"));
	}

	@Test
	void anUnreadableV4VoicelogIsUpstreamUnavailableInWordsOfOurOwn() {
		this.server.stubFor(get(urlPathEqualTo("/v4/accounts/your_sid/voicelogs/c8"))
			.willReturn(json(200, "{\"response\":{\"data\":{\"call_sid\":\"c8\",\"duration\":\"long\"}}}")));
		this.v4.call(ACCOUNT, "c8")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v4 returned an unreadable voicelog"));
	}

	@Test
	void anUnreadableExportIsUpstreamUnavailable() {
		this.server.stubFor(post(urlPathEqualTo("/v3/accounts/your_sid/voice-logs/export")).willReturn(json(202,
				"{\"response\":{\"export\":{\"export_id\":\"e1\",\"status\":\"processing\",\"estimated_time_seconds\":\"soon\"}}}")));
		this.v3.export(ACCOUNT, exportRequest(RecordingFormat.MP3))
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel v3 returned an unreadable export"));
	}

	@Test
	void aBodyThatIsNotJsonIsUpstreamUnavailableWithoutTheParsersName() {
		call("c9", "<html>maintenance</html>");
		this.v1.call(ACCOUNT, "c9")
			.as(StepVerifier::create)
			.verifyErrorSatisfies((error) -> unreadable(error, "Exotel answered something that is not the expected JSON"));
	}

	@Test
	void anUnknownFormatOrChannelIsNeverAskedFor() {
		this.v3.recording(ACCOUNT, "c1", RecordingFormat.UNKNOWN, RecordingChannel.SINGLE)
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		this.v3.recordings(ACCOUNT, List.of("c1"), RecordingFormat.MP3, RecordingChannel.UNKNOWN)
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		this.v3.export(ACCOUNT, exportRequest(RecordingFormat.UNKNOWN))
			.as(StepVerifier::create)
			.verifyError(BadRequestException.class);
		assertThat(this.server.getAllServeEvents()).as("nothing reached Exotel").isEmpty();
	}

	private static void unreadable(Throwable error, String message) {
		assertThat(error).isInstanceOf(UpstreamUnavailableException.class).hasMessage(message);
		assertThat(((ExogateException) error).code()).isEqualTo("UPSTREAM_UNAVAILABLE");
	}

	private static RecordingExportRequest exportRequest(RecordingFormat format) {
		return new RecordingExportRequest(TimeWindow.endingAt(NOW, Duration.ofDays(1)), format,
				URI.create("https://hooks.example/export?secret=s"));
	}

	private void voiceLog(String sid, String voiceLog) {
		this.server.stubFor(get(urlPathEqualTo("/v3/accounts/your_sid/calls/" + sid + "/voice-logs"))
			.willReturn(json(200, "{\"response\":{\"voice_log\":" + voiceLog + "}}")));
	}

	private void bulk(String voiceLogs) {
		this.server.stubFor(post(urlPathEqualTo("/v3/accounts/your_sid/voice-logs/bulk"))
			.willReturn(json(200, "{\"response\":{\"voice_logs\":[" + voiceLogs + "]}}")));
	}

	private void call(String sid, String body) {
		this.server.stubFor(get(urlPathEqualTo("/v1/Accounts/your_sid/Calls/" + sid + ".json")).willReturn(json(200, body)));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
