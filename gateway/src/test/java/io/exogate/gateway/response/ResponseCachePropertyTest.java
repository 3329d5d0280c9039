package io.exogate.gateway.response;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphqlErrorBuilder;
import io.exogate.exotel.test.SettableClock;
import io.exogate.gateway.response.ResponseCache.Entry;
import io.exogate.gateway.response.ResponseCache.Key;
import io.exogate.gateway.response.ResponseTicket.Issued;
import io.exogate.model.recording.RecordingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Properties of the whole-response cache under random sequences of answers, clock moves, status
 * callbacks and lookups by several tenants: an answer served never carries a signed URL or playback
 * link within the safety margin of its expiry, a recording without a link (PROCESSING, NOT_AVAILABLE),
 * another tenant's data, or a call as it was before a callback changed it.
 */
class ResponseCachePropertyTest {

	static final Duration MARGIN = Duration.ofSeconds(60);

	static final Duration PLAYBACK_LIFETIME = Duration.ofMinutes(15);

	static final List<String> TENANTS = List.of("alpha", "beta", "gamma");

	static final List<String> DOCUMENTS = List.of("query A($sid: ID!) { recording(callSid: $sid) { url expiresAt } }",
			"query B($sid: ID!) { recording(callSid: $sid) { url playbackUrl } }", "query C($sid: ID!) { recordings(callSids: [$sid, \"c7\"]) { url } }");

	static final int CALLS = 8;

	@Test
	void aServedAnswerIsFreshOwnedAndAfterEveryCallbackOfItsCalls() {
		int served = 0;
		for (long seed = 0; seed < 300; seed++) {
			served += run(seed, 400);
		}
		// The property says nothing if nothing is served: the sequences must hit often.
		assertThat(served).isGreaterThan(2_000);
	}

	private int run(long seed, int steps) {
		Random random = new Random(seed);
		SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
		ResponseCache cache = new ResponseCache(clock, MARGIN,
				new ResponseCacheProperties(true, Duration.ofMinutes(10), DataSize.ofMegabytes(2)), () -> true, () -> 0);
		Map<String, Integer> lastCallback = new HashMap<>();
		List<Map.Entry<ResponseTicket, Integer>> early = new ArrayList<>();
		int served = 0;
		for (int step = 0; step < steps; step++) {
			int action = random.nextInt(100);
			if (action < 35) {
				// An execution: its ticket taken now or, one time in five, before some later callback.
				String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
				String sid = "c" + random.nextInt(CALLS);
				Key key = key(tenant, random.nextInt(DOCUMENTS.size()), sid);
				Map.Entry<ResponseTicket, Integer> started = (!early.isEmpty() && random.nextInt(5) == 0) ? early.remove(0)
						: Map.entry(cache.ticket(), step);
				ResponseTicket ticket = started.getKey();
				// The answer is as of when its execution started.
				ExecutionResult result = execute(ticket, tenant, sid, started.getValue(), clock.instant(), random);
				cache.offer(key, ticket, result);
			}
			else if (action < 40) {
				early.add(Map.entry(cache.ticket(), step));
			}
			else if (action < 55) {
				// Mostly seconds, now and then most of an hour.
				clock.advance(Duration.ofSeconds((random.nextInt(10) == 0) ? random.nextInt(40 * 60) : random.nextInt(90)));
			}
			else if (action < 62) {
				String sid = "c" + random.nextInt(CALLS);
				lastCallback.put(sid, step);
				cache.evict("acct-1", sid);
			}
			else {
				String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
				Key key = key(tenant, random.nextInt(DOCUMENTS.size()), "c" + random.nextInt(CALLS));
				Entry entry = cache.lookup(key);
				if (entry != null) {
					served++;
					check(entry.result(), tenant, clock.instant(), lastCallback, seed, step);
				}
			}
		}
		return served;
	}

	@SuppressWarnings("unchecked")
	private static void check(ExecutionResult result, String tenant, Instant now, Map<String, Integer> lastCallback, long seed,
			int step) {
		Map<String, Object> data = result.getData();
		String at = "seed " + seed + ", step " + step;
		assertThat(data.get("tenant")).as("tenant of the answer served, %s", at).isEqualTo(tenant);
		int storedAt = (int) data.get("step");
		for (Map<String, Object> recording : (List<Map<String, Object>>) data.get("recordings")) {
			String sid = (String) recording.get("callSid");
			assertThat(storedAt).as("answer for %s computed after its last callback, %s", sid, at)
				.isGreaterThan(lastCallback.getOrDefault(sid, -1));
			if (recording.get("url") != null) {
				assertThat(Instant.parse((String) recording.get("expiresAt"))).as("URL expiry of %s, %s", sid, at)
					.isAfter(now.plus(MARGIN));
				long signedExpiry = Long.parseLong(((String) recording.get("url")).replaceAll(".*expires=", ""));
				assertThat(Instant.ofEpochSecond(signedExpiry)).isAfter(now.plus(MARGIN));
				assertThat(Instant.parse((String) recording.get("playbackExpiresAt"))).as("playback expiry, %s", at)
					.isAfter(now.plus(MARGIN));
			}
			else {
				throw new AssertionError("an answer holding a " + recording.get("status") + " recording (no link) was served, " + at);
			}
		}
	}

	@Test
	void nothingIsServedOrKeptWhileCallEventsCannotArriveAndADisconnectionDropsEverything() {
		SettableClock clock = new SettableClock(Instant.parse("2026-11-23T10:00:00Z"));
		AtomicBoolean live = new AtomicBoolean(true);
		AtomicLong outages = new AtomicLong();
		ResponseCache cache = new ResponseCache(clock, MARGIN,
				new ResponseCacheProperties(true, Duration.ofMinutes(10), DataSize.ofMegabytes(2)), live::get, outages::get);
		Key key = key("alpha", 0, "c1");
		ResponseTicket ticket = cache.ticket();
		assertThat(cache.offer(key, ticket, execute(ticket, "alpha", "c1", 0, clock.instant(), available()))).isNotNull();
		assertThat(cache.lookup(key)).isNotNull();

		live.set(false);
		assertThat(cache.lookup(key)).as("not served while the relay is down").isNull();
		ResponseTicket during = cache.ticket();
		assertThat(cache.offer(key("alpha", 1, "c1"), during, execute(during, "alpha", "c1", 0, clock.instant(), available())))
			.as("not kept while the relay is down").isNull();

		outages.incrementAndGet();
		live.set(true);
		assertThat(cache.lookup(key)).as("what was kept before a disconnection is gone after it").isNull();
		ResponseTicket after = cache.ticket();
		assertThat(cache.offer(key, after, execute(after, "alpha", "c1", 0, clock.instant(), available()))).isNotNull();
		assertThat(cache.lookup(key)).isNotNull();

		cache.deafened();
		assertThat(cache.lookup(key)).as("nothing once the events stopped for good").isNull();
	}

	/** A random source whose every recording is available. */
	private static Random available() {
		return new Random(1) {
			@Override
			public int nextInt(int bound) {
				// Available (kind 1 of 10), no error (1 of 20), links for most of an hour.
				return (bound == 10 || bound == 20) ? 1 : (bound == 3 * 3600) ? 3000 : super.nextInt(bound);
			}
		};
	}

	/** What a recording query would answer, told to its ticket as the resolvers do; now and then an error. */
	private static ExecutionResult execute(ResponseTicket ticket, String tenant, String sid, int step, Instant now, Random random) {
		List<Map<String, Object>> recordings = new ArrayList<>();
		int count = 1 + random.nextInt(3);
		for (int i = 0; i < count; i++) {
			String call = (i == 0) ? sid : "c" + random.nextInt(CALLS);
			int kind = random.nextInt(10);
			RecordingStatus status = (kind < 7) ? RecordingStatus.AVAILABLE : (kind < 9) ? RecordingStatus.PROCESSING
					: RecordingStatus.NOT_AVAILABLE;
			Map<String, Object> recording = new LinkedHashMap<>();
			recording.put("callSid", call);
			recording.put("status", status.name());
			recording.put("executedAt", now.toString());
			Instant urlExpiry = null;
			Instant playbackExpiry = null;
			if (status == RecordingStatus.AVAILABLE) {
				// Exotel's links live from a few seconds (some already inside the margin) to a few hours.
				urlExpiry = now.plusSeconds(random.nextInt(3 * 3600));
				playbackExpiry = Instant.ofEpochSecond(now.plus(PLAYBACK_LIFETIME).getEpochSecond());
				recording.put("url", "https://media.example/" + call + ".mp3?expires=" + urlExpiry.getEpochSecond());
				recording.put("expiresAt", urlExpiry.toString());
				recording.put("playbackExpiresAt", playbackExpiry.toString());
			}
			recordings.add(recording);
			ticket.issued(new Issued("acct-1", call, status, urlExpiry, playbackExpiry, "MP3", "SINGLE", "recording"));
		}
		Map<String, Object> data = Map.of("tenant", tenant, "step", step, "recordings", recordings);
		ExecutionResultImpl.Builder result = ExecutionResultImpl.newExecutionResult().data(data);
		if (random.nextInt(20) == 0) {
			result.addError(GraphqlErrorBuilder.newError().message("upstream failed").build());
		}
		return result.build();
	}

	private static Key key(String tenant, int document, String sid) {
		return new Key(tenant, DOCUMENTS.get(document), null, Map.of("sid", sid));
	}

}
