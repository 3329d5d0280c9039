package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MediaTest {

	private SettableClock clock;

	private Sandbox sandbox;

	private SandboxClient client;

	@BeforeEach
	void start() {
		this.clock = new SettableClock(SandboxTestSupport.START);
		this.sandbox = Sandbox.start(SandboxTestSupport.settings(this.clock).toBuilder().rateLimitPerMinute(100_000).build());
		this.client = new SandboxClient(this.sandbox);
	}

	@AfterEach
	void stop() {
		this.sandbox.close();
	}

	@Test
	void singleChannelWavIsMonoOfTheRecordingsLength() throws Exception {
		assertWav("single", 1);
	}

	@Test
	void dualChannelWavIsStereoWithTheAgentLeftAndTheCustomerRight() throws Exception {
		byte[] wav = assertWav("dual", 2);
		int firstFrame = 44;
		short agent = (short) ((wav[firstFrame + 1] << 8) | (wav[firstFrame] & 0xFF));
		assertThat(agent).isEqualTo(Media.sample(0, 0));
		// during the customer's first turn (4 s to 8 s) the agent channel is silent
		int frame = 8000 * 5 + 3;
		int offset = 44 + frame * 4;
		short left = (short) ((wav[offset + 1] << 8) | (wav[offset] & 0xFF));
		short right = (short) ((wav[offset + 3] << 8) | (wav[offset + 2] & 0xFF));
		assertThat(left).isZero();
		assertThat(right).isNotZero();
	}

	@Test
	void everyFrameOfAWavIsTheToneAtThatFrameAcrossChunksAndPeriods() throws Exception {
		byte[] wav = assertWav("dual", 2);
		int frames = (wav.length - Media.HEADER_SIZE) / 4;
		assertThat(frames).as("a recording longer than one period of the tone").isGreaterThan(Media.PERIOD_FRAMES);
		for (int frame = 0; frame < frames; frame++) {
			int offset = Media.HEADER_SIZE + frame * 4;
			short left = (short) ((wav[offset + 1] << 8) | (wav[offset] & 0xFF));
			short right = (short) ((wav[offset + 3] << 8) | (wav[offset + 2] & 0xFF));
			assertThat(left).as("agent at frame %d", frame).isEqualTo(Media.sample(frame, 0));
			assertThat(right).as("customer at frame %d", frame).isEqualTo(Media.sample(frame, 1));
		}
	}

	@Test
	void rangeRequestsAnswer206WithTheExactBytes() {
		String url = voiceLog("wav", "single").get("recording_url").asString();
		byte[] whole = this.client.bytes(url, null, "GET", null).body();
		HttpResponse<byte[]> middle = this.client.bytes(url, "bytes=100-1099", "GET", null);
		assertThat(middle.statusCode()).isEqualTo(206);
		assertThat(middle.headers().firstValue("content-range")).hasValue("bytes 100-1099/" + whole.length);
		assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 1100));
		HttpResponse<byte[]> suffix = this.client.bytes(url, "bytes=-10", "GET", null);
		assertThat(suffix.statusCode()).isEqualTo(206);
		assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));
		HttpResponse<byte[]> open = this.client.bytes(url, "bytes=" + (whole.length - 5) + "-", "GET", null);
		assertThat(open.headers().firstValue("content-range")).hasValue("bytes " + (whole.length - 5) + "-" + (whole.length - 1) + "/" + whole.length);
		assertThat(open.body()).hasSize(5);
		HttpResponse<byte[]> beyond = this.client.bytes(url, "bytes=" + whole.length + "-", "GET", null);
		assertThat(beyond.statusCode()).isEqualTo(416);
		assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */" + whole.length);
	}

	@Test
	void headAnswersTheLengthWithoutABody() {
		String url = voiceLog("mp3", "single").get("recording_url").asString();
		HttpResponse<byte[]> head = this.client.bytes(url, null, "HEAD", null);
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("content-type")).hasValue("audio/mpeg");
		assertThat(head.headers().firstValue("accept-ranges")).hasValue("bytes");
		assertThat(head.headers().firstValueAsLong("content-length").getAsLong()).isEqualTo(Media.mp3().length);
		assertThat(head.body()).isEmpty();
		byte[] mp3 = this.client.bytes(url, null, "GET", null).body();
		assertThat(mp3).isEqualTo(Media.mp3());
		assertThat(mp3[0]).isEqualTo((byte) 0xFF);
	}

	@Test
	void aSignedUrlAnswers403OnceExpiredAndWithATamperedSignature() {
		String url = voiceLog("mp3", "single").get("recording_url").asString();
		assertThat(this.client.bytes(url, null, "GET", null).statusCode()).isEqualTo(200);
		assertThat(this.client.bytes(url.replace("channel=single", "channel=dual"), null, "GET", null).statusCode()).isEqualTo(403);
		assertThat(this.client.bytes(url.replaceAll("signature=[0-9a-f]+", "signature=deadbeef"), null, "GET", null).statusCode())
			.isEqualTo(403);
		assertThat(this.client.bytes(url.replaceAll("&signature=[0-9a-f]+", ""), null, "GET", null).statusCode()).isEqualTo(403);
		this.clock.advance(Duration.ofHours(24).minusSeconds(1));
		assertThat(this.client.bytes(url, null, "GET", null).statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(1));
		HttpResponse<byte[]> expired = this.client.bytes(url, null, "GET", null);
		assertThat(expired.statusCode()).isEqualTo(403);
		assertThat(new String(expired.body())).contains("expired");
	}

	@Test
	void theSignedUrlLifetimeIsASetting() {
		this.client.admin("POST", "faults", "{\"signedUrlLifetimeSeconds\":30}");
		JsonNode log = voiceLog("mp3", "single");
		assertThat(log.get("expires_at").asString()).isEqualTo(ExotelTime.v4(this.clock.instant().plusSeconds(30)));
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.client.bytes(log.get("recording_url").asString(), null, "GET", null).statusCode()).isEqualTo(403);
	}

	@Test
	void thePrivateRecordingUrlNeedsTheAccountsCredentials() {
		String sid = SandboxTestSupport.recordedCallSid(this.client);
		String url = SandboxClient.json(this.client.v1("/Calls/" + sid + ".json")).at("/Call/RecordingUrl").asString();
		assertThat(this.client.bytes(url, null, "GET", null).statusCode()).isEqualTo(401);
		assertThat(this.client.bytes(url, null, "GET", SandboxClient.basic("demo2-key", "demo2-token")).statusCode()).isEqualTo(401);
		assertThat(this.client.bytes(url, null, "GET", SandboxClient.basic("demo-key", "demo-token")).statusCode()).isEqualTo(200);
		String presigned = SandboxClient.json(this.client.v1("/Calls/" + sid + ".json")).at("/Call/PreSignedRecordingUrl").asString();
		assertThat(this.client.bytes(presigned, null, "GET", null).statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.client.bytes(presigned, null, "GET", null).statusCode()).isEqualTo(403);
	}

	@Test
	void privateVoiceLogUrlsAreUnsignedAndPlayOnlyWithTheAccountsCredentials() {
		this.sandbox.close();
		this.sandbox = Sandbox.start(SandboxTestSupport.settings(this.clock).toBuilder().rateLimitPerMinute(100_000)
			.privateRecordingUrls(true).build());
		this.client = new SandboxClient(this.sandbox);
		JsonNode log = voiceLog("wav", "dual");
		String url = log.get("recording_url").asString();
		assertThat(url).startsWith(this.sandbox.baseUrl() + "/exotelrecordings/exogate-demo/").endsWith("_dual.wav")
			.doesNotContain("?");
		assertThat(log.get("expires_at").isString()).as("the expiry is still stated").isTrue();
		HttpResponse<byte[]> anonymous = this.client.bytes(url, null, "GET", null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("www-authenticate")).hasValue("Basic realm=\"Exotel\"");
		assertThat(this.client.bytes(url, null, "GET", SandboxClient.basic("demo2-key", "demo2-token")).statusCode())
			.as("another account's credentials").isEqualTo(401);
		HttpResponse<byte[]> media = this.client.bytes(url, "bytes=0-43", "GET", SandboxClient.basic("demo-key", "demo-token"));
		assertThat(media.statusCode()).isEqualTo(206);
		assertThat(media.headers().firstValue("content-range")).hasValue("bytes 0-43/" + log.get("recording_size_bytes").asLong());
		assertThat(media.body()[22]).as("two channels in the WAV header").isEqualTo((byte) 2);
	}

	@Test
	void mediaUrlsPointAtTheConfiguredMediaHost() {
		this.sandbox.close();
		this.sandbox = Sandbox.start(SandboxTestSupport.settings(this.clock).toBuilder().rateLimitPerMinute(100_000)
			.mediaBaseUrl(java.net.URI.create("https://recordings.example/")).build());
		this.client = new SandboxClient(this.sandbox);
		assertThat(voiceLog("mp3", "single").get("recording_url").asString()).startsWith("https://recordings.example/media/exogate-demo/");
	}

	private byte[] assertWav(String channel, int channels) throws Exception {
		JsonNode log = voiceLog("wav", channel);
		HttpResponse<byte[]> media = this.client.bytes(log.get("recording_url").asString(), null, "GET", null);
		assertThat(media.statusCode()).isEqualTo(200);
		assertThat(media.headers().firstValue("content-type")).hasValue("audio/wav");
		assertThat((long) media.body().length).isEqualTo(log.get("recording_size_bytes").asLong());
		try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(media.body()))) {
			AudioFormat format = audio.getFormat();
			assertThat(format.getChannels()).isEqualTo(channels);
			assertThat(format.getSampleRate()).isEqualTo(8000f);
			assertThat(format.getSampleSizeInBits()).isEqualTo(16);
			assertThat((double) (audio.getFrameLength() / format.getFrameRate())).isEqualTo(log.get("recording_duration").asDouble());
		}
		return media.body();
	}

	private JsonNode voiceLog(String format, String channel) {
		String sid = SandboxTestSupport.recordedCallSid(this.client);
		return SandboxClient.json(this.client.v3("/calls/" + sid + "/voice-logs?format=" + format + "&channel=" + channel))
			.at("/response/voice_log");
	}

}
