package io.exogate.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every account's calls: a fixed history generated at start, followed by live calls that start
 * one per interval as the sandbox clock passes. Lists are sorted by creation time, then SID.
 */
final class CallStore {

	/** Historical calls end this long before the start; live calls begin a little after. */
	private static final Duration HISTORY_GAP = Duration.ofMinutes(20);

	private static final Duration LIVE_LEAD = Duration.ofMinutes(15);

	private final Map<String, AccountCalls> accounts = new HashMap<>();

	CallStore(SandboxSettings settings) {
		Instant start = settings.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
		for (SandboxAccount account : settings.accounts()) {
			CallGenerator generator = new CallGenerator(settings.seed(), account.sid());
			List<SandboxCall> history = generator.history(settings.callsPerAccount(),
					start.minus(settings.history()), start.minus(HISTORY_GAP));
			this.accounts.put(account.sid(),
					new AccountCalls(generator, history, start.minus(LIVE_LEAD), settings.liveCallInterval()));
		}
	}

	/** The account's calls created at or before {@code now}, oldest first. */
	List<SandboxCall> calls(String accountSid, Instant now) {
		return this.accounts.get(accountSid).upTo(now);
	}

	/** The call with this SID if the account has it by {@code now}, else {@code null}. */
	SandboxCall find(String accountSid, String sid, Instant now) {
		AccountCalls calls = this.accounts.get(accountSid);
		calls.upTo(now);
		SandboxCall call = calls.bySid.get(sid);
		return (call != null && !call.createdAt().isAfter(now)) ? call : null;
	}

	/** One account's history plus its live calls generated so far. */
	private static final class AccountCalls {

		private final CallGenerator generator;

		private final Instant liveStart;

		private final Duration interval;

		private final List<SandboxCall> all;

		private final Map<String, SandboxCall> bySid = new ConcurrentHashMap<>();

		private long nextSlot;

		private volatile List<SandboxCall> snapshot;

		AccountCalls(CallGenerator generator, List<SandboxCall> history, Instant liveStart, Duration interval) {
			this.generator = generator;
			this.liveStart = liveStart;
			this.interval = interval;
			this.all = new ArrayList<>(history);
			history.forEach((call) -> this.bySid.put(call.sid(), call));
			this.snapshot = Collections.unmodifiableList(new ArrayList<>(this.all));
		}

		List<SandboxCall> upTo(Instant now) {
			synchronized (this) {
				boolean grown = false;
				while (true) {
					Instant slotStart = this.liveStart.plusSeconds(this.nextSlot * this.interval.getSeconds());
					if (slotStart.isAfter(now)) {
						break;
					}
					SandboxCall call = this.generator.live(this.nextSlot, slotStart, this.interval);
					this.all.add(call);
					this.bySid.put(call.sid(), call);
					this.nextSlot++;
					grown = true;
				}
				if (grown) {
					this.snapshot = Collections.unmodifiableList(new ArrayList<>(this.all));
				}
			}
			List<SandboxCall> current = this.snapshot;
			int end = current.size();
			while (end > 0 && current.get(end - 1).createdAt().isAfter(now)) {
				end--;
			}
			return current.subList(0, end);
		}

	}

}
