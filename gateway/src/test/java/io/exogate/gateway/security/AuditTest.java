package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.exotel.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

class AuditTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Caller ALICE = new Caller("acme", "key:aaaaaaaaaaaa", "api-key");

	private static final Caller BOB = new Caller("acme", "key:bbbbbbbbbbbb", "api-key");

	/** The same client id in another tenant is another client. */
	private static final Caller ALICE_ELSEWHERE = new Caller("globex", "key:aaaaaaaaaaaa", "api-key");

	private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:15:00.250Z"));

	private final Audit audit = new Audit(this.clock);

	private final Logger logger = (Logger) LoggerFactory.getLogger(Audit.LOGGER);

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private Level level;

	@BeforeEach
	void capture() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.events.start();
		this.logger.addAppender(this.events);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.events);
		this.events.stop();
		this.logger.setLevel(this.level);
	}

	@Test
	void anonymousRefusalsAreHeldToTwentyASecondAndTheNextOneWrittenCountsTheRest() {
		for (int i = 0; i < 25; i++) {
			this.audit.unauthenticated("invalid-key", "/graphql", null);
		}
		assertThat(events()).hasSize(Audit.UNAUTHENTICATED_PER_SECOND)
			.allSatisfy((event) -> assertThat(event).containsEntry("result", "unauthenticated").doesNotContainKey("suppressedBefore"));

		this.clock.advance(Duration.ofSeconds(1));
		this.audit.unauthenticated("missing", "/graphql", null);
		this.audit.unauthenticated("missing", "/graphql", null);
		List<Map<String, Object>> next = events().subList(Audit.UNAUTHENTICATED_PER_SECOND, events().size());
		assertThat(next).hasSize(2);
		assertThat(next.get(0)).containsEntry("suppressedBefore", 5);
		assertThat(next.get(1)).doesNotContainKey("suppressedBefore");
	}

	@Test
	void playbackRefusalsAreHeldToTheAnonymousBudgetWhilePlaybacksServedAreAllWritten() {
		for (int i = 0; i < 1000; i++) {
			this.audit.playback("acme", "exogate-demo", "call-1", "WAV", "SINGLE", null, (i % 2 == 0) ? "too-many-streams" : "gateway-busy");
		}
		assertThat(events()).hasSize(Audit.UNAUTHENTICATED_PER_SECOND);
		for (int i = 0; i < 50; i++) {
			this.audit.playback("acme", "exogate-demo", "call-1", "WAV", "SINGLE", "bytes=0-", "206");
		}
		assertThat(events()).filteredOn((event) -> "206".equals(event.get("result"))).hasSize(50);
	}

	@Test
	void anAnonymousFloodDoesNotHideAnIdentifiedClientsRateLimitRefusal() {
		for (int i = 0; i < 1000; i++) {
			this.audit.unauthenticated("invalid-key", "/graphql", null);
		}
		this.audit.rateLimited(ALICE, 7);
		this.audit.rateLimited(BOB, 3);
		assertThat(events()).filteredOn((event) -> "rate-limited".equals(event.get("result")))
			.extracting((event) -> event.get("who"), (event) -> event.get("retryAfterSeconds"))
			.containsExactly(tuple(ALICE.client(), 7), tuple(BOB.client(), 3));
	}

	@Test
	void aClientsRateLimitRefusalsAreWrittenOnceEveryTenSecondsEachClientApart() {
		for (int i = 0; i < 5; i++) {
			this.audit.rateLimited(ALICE, 60);
		}
		this.audit.rateLimited(BOB, 60);
		this.audit.rateLimited(ALICE_ELSEWHERE, 60);
		this.clock.advance(Audit.RATE_LIMITED_INTERVAL.minusMillis(1));
		this.audit.rateLimited(ALICE, 60);
		assertThat(events()).extracting((event) -> event.get("tenant") + "/" + event.get("who"))
			.containsExactly("acme/" + ALICE.client(), "acme/" + BOB.client(), "globex/" + ALICE.client());
		assertThat(events()).allSatisfy((event) -> assertThat(event).doesNotContainKey("suppressedBefore"));

		this.clock.advance(Duration.ofMillis(1));
		this.audit.rateLimited(ALICE, 51);
		this.audit.rateLimited(BOB, 51);
		List<Map<String, Object>> later = events().subList(3, events().size());
		assertThat(later).hasSize(2);
		assertThat(later.get(0)).containsEntry("who", ALICE.client())
			.containsEntry("result", "rate-limited")
			.containsEntry("retryAfterSeconds", 51)
			.containsEntry("suppressedBefore", 5);
		assertThat(later.get(1)).containsEntry("who", BOB.client()).doesNotContainKey("suppressedBefore");
	}

	@Test
	void eventsOfIdentifiedCallersAreNeverHeldBack() {
		for (int i = 0; i < 100; i++) {
			this.audit.unauthenticated("invalid-key", "/graphql", null);
			this.audit.rateLimited(ALICE, 60);
		}
		this.events.list.clear();
		for (int i = 0; i < 50; i++) {
			this.audit.recordingIssued(ALICE, "acme-sid-1", "call-" + i, "MP3", "SINGLE", "recording");
			this.audit.export(ALICE, "acme-sid-1", "MP3", "hooks.acme.example", "refused", "callbackUrl refused");
			this.audit.crossTenant(ALICE, "globex-sid", "calls");
		}
		assertThat(events()).hasSize(150).allSatisfy((event) -> assertThat(event).doesNotContainKey("suppressedBefore"));
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> events() {
		return this.events.list.stream().map((event) -> (Map<String, Object>) JSON.readValue(event.getFormattedMessage(), Map.class))
			.toList();
	}

}
