package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SandboxAccounts;
import io.exogate.exotel.test.SettableClock;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.PageRequest;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import io.exogate.sandbox.Sandbox;
import io.exogate.sandbox.SandboxSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;

class MediaLinksTest {

	private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

	private final MediaLinks links = new MediaLinks(WebClient.builder(), Duration.ofSeconds(5));

	@Test
	void aLinkPlaysUntilItExpiresThenA403MeansFetchAFreshOne() throws Exception {
		SettableClock clock = new SettableClock(START);
		try (Sandbox sandbox = Sandbox.start(SandboxSettings.defaults().toBuilder().clock(clock).callsPerAccount(300)
				.rateLimitPerMinute(100_000).signedUrlLifetime(Duration.ofMinutes(10)).build());
				SandboxAccounts accounts = new SandboxAccounts(sandbox, clock)) {
			Call call = accounts.v1.search(SandboxAccounts.ACCOUNT, CallQuery.builder().status(CallStatus.COMPLETED).hasRecording(true).build(),
					PageRequest.first(1)).block().calls().get(0);
			Recording recording = accounts.source.recording(SandboxAccounts.ACCOUNT, call.sid(), RecordingFormat.MP3, RecordingChannel.SINGLE)
				.block();
			this.links.check(recording.url()).as(StepVerifier::create).expectNext(RecordingStatus.AVAILABLE).verifyComplete();
			clock.advance(Duration.ofMinutes(10));
			this.links.check(recording.url()).as(StepVerifier::create).expectNext(RecordingStatus.EXPIRED).verifyComplete();
			Recording fresh = accounts.source.recording(SandboxAccounts.ACCOUNT, call.sid(), RecordingFormat.MP3, RecordingChannel.SINGLE)
				.block();
			this.links.check(fresh.url()).as(StepVerifier::create).expectNext(RecordingStatus.AVAILABLE).verifyComplete();
			SignedUrl tampered = new SignedUrl(URI.create(recording.url().uri().toString().replaceAll("signature=[0-9a-f]+", "signature=00")), START);
			this.links.check(tampered).as(StepVerifier::create).expectNext(RecordingStatus.EXPIRED).verifyComplete();
			SignedUrl gone = new SignedUrl(URI.create(sandbox.baseUrl() + "/nothing/here.mp3"), START);
			this.links.check(gone).as(StepVerifier::create).expectNext(RecordingStatus.NOT_AVAILABLE).verifyComplete();
			SignedUrl privateLink = new SignedUrl(URI.create(sandbox.baseUrl() + "/exotelrecordings/exogate-demo/" + call.sid() + ".mp3"), START);
			this.links.check(privateLink).as(StepVerifier::create)
				.verifyError(io.exogate.model.error.UnauthorizedException.class);
		}
	}

	@Test
	void anUnreachableHostIsUpstreamUnavailable() {
		this.links.check(new SignedUrl(URI.create("http://127.0.0.1:9/x.mp3"), START))
			.as(StepVerifier::create)
			.verifyError(UpstreamUnavailableException.class);
	}

}
