package io.exogate.gateway.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.exogate.exotel.test.SettableClock;
import io.exogate.model.port.RecordingSource;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import io.exogate.model.recording.SignedUrl;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class RecordingServiceTest {

	private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

	private final SettableClock clock = new SettableClock(NOW);

	private final CacheProperties properties = new CacheProperties(null, Duration.ofSeconds(60), Duration.ofSeconds(20),
			Duration.ofMinutes(5), 1000, null);

	private final RecordingCacheSpy cache = new RecordingCacheSpy(new InProcessRecordingCache(this.clock, 1000));

	private final FakeSource source = new FakeSource();

	private final RecordingService service = new RecordingService(this.source, this.cache, this.properties, this.clock);

	@Test
	void anAvailableRecordingIsCachedUntilExpiryLessTheMargin() {
		this.source.lifetime = Duration.ofMinutes(10);
		get("c1");
		assertThat(this.cache.lastTtl).isEqualTo(Duration.ofMinutes(9));
		this.clock.advance(Duration.ofMinutes(8).plusSeconds(59));
		get("c1");
		assertThat(this.source.requests).as("still more than the margin to live").hasValue(1);
		this.clock.advance(Duration.ofSeconds(1));
		Recording refreshed = get("c1");
		assertThat(this.source.requests).as("within the margin: refreshed").hasValue(2);
		assertThat(refreshed.url().expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(10)));
	}

	@Test
	void aUrlThatWouldNotOutliveTheMarginIsNotCached() {
		this.source.lifetime = Duration.ofSeconds(60);
		get("c1");
		assertThat(this.cache.puts).hasValue(0);
		get("c1");
		assertThat(this.source.requests).hasValue(2);
	}

	@Test
	void aLinkExpiringWithinTheSafetyMarginIsNeverHandedOutAsPlayableWhateverUpstreamSays() {
		this.source.lifetime = Duration.ofSeconds(45);
		Recording answered = get("c1");
		assertThat(answered.status()).isEqualTo(RecordingStatus.EXPIRED);
		assertThat(answered.url()).isNull();
		this.source.lifetime = Duration.ofSeconds(61);
		assertThat(get("c1").status()).as("a link with more than the margin to live plays").isEqualTo(RecordingStatus.AVAILABLE);
	}

	@Test
	void processingAndMissingRecordingsAreCachedBriefly() {
		this.source.status = RecordingStatus.PROCESSING;
		get("c1");
		assertThat(this.cache.lastTtl).isEqualTo(Duration.ofSeconds(20));
		this.clock.advance(Duration.ofSeconds(19));
		get("c1");
		assertThat(this.source.requests).hasValue(1);
		this.clock.advance(Duration.ofSeconds(1));
		this.source.status = RecordingStatus.NOT_AVAILABLE;
		get("c1");
		assertThat(this.source.requests).hasValue(2);
		assertThat(this.cache.lastTtl).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void concurrentMissesForOneKeyMakeOneUpstreamRequest() {
		Sinks.One<Boolean> release = Sinks.one();
		this.source.gate = release.asMono();
		Mono<Recording> first = this.service.recording("t", "acc", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		Mono<Recording> second = this.service.recording("t", "acc", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE);
		Mono<Map<String, Recording>> batch = this.service.recordings("t", "acc", List.of("c1", "c2"), RecordingFormat.MP3,
				RecordingChannel.SINGLE);
		StepVerifier.create(Flux.merge(first.map(Recording::callSid), second.map(Recording::callSid),
				batch.flatMapIterable(Map::keySet)).collectList())
			.then(() -> release.tryEmitValue(true))
			.assertNext((sids) -> assertThat(sids).containsExactlyInAnyOrder("c1", "c1", "c1", "c2"))
			.verifyComplete();
		assertThat(this.source.requests).as("one for c1, one for c2 alone").hasValue(2);
		assertThat(this.source.asked).containsExactly(List.of("c1"), List.of("c2"));
	}

	@Test
	void variantsAndTenantsAreCachedApart() {
		get("c1");
		this.service.recording("t", "acc", "c1", RecordingFormat.WAV, RecordingChannel.DUAL).block();
		this.service.recording("t", "other", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE).block();
		this.service.recording("u", "acc", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE).block();
		assertThat(this.source.requests).hasValue(4);
		assertThat(RecordingService.key("t", "acc", "c1", RecordingFormat.WAV, RecordingChannel.DUAL))
			.isEqualTo("exogate:recording:t:acc:c1:wav:dual");
	}

	@Test
	void aLinkTheMediaHostRefusesIsReplacedByAFreshOne() {
		this.source.lifetime = Duration.ofMinutes(10);
		Recording first = get("c1");
		AtomicInteger heads = new AtomicInteger();
		java.util.Set<String> refused = java.util.Set.of(first.url().uri().toString());
		io.exogate.exotel.MediaLinks links = new io.exogate.exotel.MediaLinks(org.springframework.web.reactive.function.client.WebClient
			.builder()
			.exchangeFunction((request) -> {
				heads.incrementAndGet();
				org.springframework.http.HttpStatus status = refused.contains(request.url().toString())
						? org.springframework.http.HttpStatus.FORBIDDEN : org.springframework.http.HttpStatus.OK;
				return Mono.just(org.springframework.web.reactive.function.client.ClientResponse.create(status).build());
			}), Duration.ofSeconds(5));
		this.clock.advance(Duration.ofSeconds(1));
		Recording verified = this.service.verified("t", "acc", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE, links).block();
		assertThat(verified.url()).isNotEqualTo(first.url());
		assertThat(this.source.requests).as("the refused link was dropped and fetched again").hasValue(2);
		assertThat(heads).hasValue(1);
		assertThat(get("c1").url()).as("the fresh link is what the cache holds now").isEqualTo(verified.url());
		Recording again = this.service.verified("t", "acc", "c1", RecordingFormat.MP3, RecordingChannel.SINGLE, links).block();
		assertThat(again.url()).isEqualTo(verified.url());
		assertThat(this.source.requests).hasValue(2);
	}

	@Test
	void nothingIsAskedBeforeSubscription() {
		this.service.recordings("t", "acc", List.of("c1"), RecordingFormat.MP3, RecordingChannel.SINGLE);
		assertThat(this.source.requests).hasValue(0);
		assertThat(this.cache.gets).hasValue(0);
	}

	private Recording get(String sid) {
		return this.service.recording("t", "acc", sid, RecordingFormat.MP3, RecordingChannel.SINGLE).block();
	}

	private final class FakeSource implements RecordingSource {

		final AtomicInteger requests = new AtomicInteger();

		final List<List<String>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

		Duration lifetime = Duration.ofMinutes(10);

		RecordingStatus status = RecordingStatus.AVAILABLE;

		Mono<Boolean> gate = Mono.just(true);

		@Override
		public Mono<Recording> recording(String account, String sid, RecordingFormat format, RecordingChannel channel) {
			return recordings(account, List.of(sid), format, channel).next();
		}

		@Override
		public Flux<Recording> recordings(String account, Collection<String> sids, RecordingFormat format,
				RecordingChannel channel) {
			return Flux.defer(() -> {
				this.requests.incrementAndGet();
				this.asked.add(List.copyOf(sids));
				Instant now = RecordingServiceTest.this.clock.instant();
				return this.gate.thenMany(Flux.fromIterable(sids).map((sid) -> (this.status == RecordingStatus.AVAILABLE)
						? new Recording(sid, RecordingStatus.AVAILABLE,
								new SignedUrl(URI.create("https://media.example/" + sid + "?t=" + now.getEpochSecond()), now.plus(this.lifetime)),
								format, channel, null, null, null)
						: Recording.unavailable(sid, this.status, format, channel)));
			});
		}

	}

	/** Records what reaches the cache. */
	private static final class RecordingCacheSpy implements RecordingCache {

		private final RecordingCache delegate;

		final AtomicInteger gets = new AtomicInteger();

		final AtomicInteger puts = new AtomicInteger();

		volatile Duration lastTtl;

		RecordingCacheSpy(RecordingCache delegate) {
			this.delegate = delegate;
		}

		@Override
		public Mono<Map<String, String>> getAll(Collection<String> keys) {
			return Mono.defer(() -> {
				this.gets.incrementAndGet();
				return this.delegate.getAll(keys);
			});
		}

		@Override
		public Mono<Void> putAll(Map<String, String> values, Map<String, Duration> ttls) {
			return Mono.defer(() -> {
				this.puts.addAndGet(values.size());
				ttls.values().forEach((ttl) -> this.lastTtl = ttl);
				return this.delegate.putAll(values, ttls);
			});
		}

		@Override
		public Mono<Void> evict(Collection<String> keys) {
			return this.delegate.evict(keys);
		}

		@Override
		public String kind() {
			return "spy";
		}

	}


}
