package io.exogate.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Generates an account's calls deterministically from the seed, the account SID and a call's slot. */
final class CallGenerator {

	private static final String[] FIRST_NAMES = { "Aarav", "Diya", "Ishaan", "Kavya", "Rohan", "Ananya", "Vihaan",
			"Meera", "Arjun", "Saanvi", "Kabir", "Priya", "Aditya", "Nisha", "Rahul", "Zoya" };

	private static final String[] LAST_NAMES = { "Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Khan", "Das", "Patel",
			"Mehta", "Rao", "Singh", "Bose" };

	private static final String[][] APPS = { { "512301", "Support IVR" }, { "512302", "Sales Connect" },
			{ "512303", "Collections" } };

	private static final String[] DISPOSITIONS = { "resolved", "follow_up", "escalated", "callback_requested" };

	private static final int CUSTOMERS = 400;

	private static final int AGENTS = 12;

	private static final int EXOPHONES = 4;

	private final long seed;

	private final String accountSid;

	private final long accountSalt;

	CallGenerator(long seed, String accountSid) {
		this.seed = seed;
		this.accountSid = accountSid;
		this.accountSalt = accountSid.hashCode() * 0x9E3779B97F4A7C15L;
	}

	/** {@code count} historical calls created in {@code [from, to)}, sorted by creation time then SID. */
	List<SandboxCall> history(int count, Instant from, Instant to) {
		SplittableRandom random = new SplittableRandom(this.seed ^ this.accountSalt);
		long span = to.getEpochSecond() - from.getEpochSecond();
		List<Instant> created = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			created.add(Instant.ofEpochSecond(from.getEpochSecond() + random.nextLong(span)));
		}
		created.sort(Comparator.naturalOrder());
		List<SandboxCall> calls = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			calls.add(call(new SplittableRandom(this.seed ^ this.accountSalt ^ (0x5851F42D4C957F2DL * (i + 1))),
					created.get(i), 600));
		}
		calls.sort(Comparator.comparing(SandboxCall::createdAt).thenComparing(SandboxCall::sid));
		return calls;
	}

	/** The live call of slot {@code slot}, created within the first half of its interval after {@code slotStart}. */
	SandboxCall live(long slot, Instant slotStart, Duration interval) {
		SplittableRandom random = new SplittableRandom(this.seed ^ this.accountSalt ^ (0x2545F4914F6CDD1DL * (slot + 7)));
		long jitter = random.nextLong(Math.max(1, interval.getSeconds() / 2));
		return call(random, slotStart.plusSeconds(jitter), 240);
	}

	private SandboxCall call(SplittableRandom random, Instant createdAt, int maxTalk) {
		String sid = hex(random.nextLong()) + hex(random.nextLong());
		Outcome outcome = pickOutcome(random.nextInt(100));
		boolean inbound = (outcome.inbound != null) ? outcome.inbound : random.nextBoolean();
		String v1Direction = inbound ? "inbound" : (random.nextInt(4) == 0 ? "outbound-dial" : "outbound-api");
		int customer = random.nextInt(CUSTOMERS);
		int agent = random.nextInt(AGENTS);
		Instant startedAt = createdAt.plusSeconds(random.nextInt(3));
		int ring = outcome.connected ? 3 + random.nextInt(22) : 5 + random.nextInt(35);
		int talk = outcome.connected ? 20 + random.nextInt(maxTalk - 19) : 0;
		int hold = (outcome.connected && random.nextInt(10) < 3) ? 5 + random.nextInt(55) : 0;
		Instant answeredAt = outcome.connected ? startedAt.plusSeconds(ring) : null;
		Instant endedAt = startedAt.plusSeconds(ring + talk + hold);
		int billedMinutes = (int) Math.ceil((ring + talk + hold) / 60.0);
		BigDecimal price = outcome.connected
				? new BigDecimal("0.500").multiply(BigDecimal.valueOf(billedMinutes)).setScale(3, RoundingMode.UNNECESSARY)
				: new BigDecimal("0.000");
		String v1Status = (outcome.v1Status.equals("canceled") && random.nextInt(3) == 0) ? "cancelled" : outcome.v1Status;
		boolean recorded = outcome.connected && random.nextInt(100) < 97;
		String[] app = (random.nextInt(10) < 7) ? APPS[random.nextInt(APPS.length)] : null;
		String digits = (inbound && app != null && random.nextBoolean()) ? String.valueOf(1 + random.nextInt(4)) : null;
		String customField = (random.nextInt(10) < 4) ? "ticket_" + (10000 + random.nextInt(90000)) : null;
		String disposition = outcome.connected ? DISPOSITIONS[random.nextInt(DISPOSITIONS.length)] : null;
		boolean agentInvolved = outcome != Outcome.ABANDONED && outcome != Outcome.FAILED;
		int exophone = random.nextInt(EXOPHONES);
		boolean numericFields = random.nextInt(10) < 3;
		boolean emptyAsNull = random.nextBoolean();
		boolean nationalNumbers = random.nextBoolean();
		return new SandboxCall(sid, this.accountSid, inbound, v1Direction, outcome, v1Status, createdAt, startedAt,
				answeredAt, endedAt, ring, talk, hold, customerNumber(customer), customerName(customer),
				agentInvolved ? agentId(agent) : null, agentInvolved ? agentName(agent) : null, agentNumber(agent),
				exophone(exophone), price, numericFields, emptyAsNull, nationalNumbers, recorded,
				(app != null) ? app[0] : null, (app != null) ? app[1] : null, digits, customField, disposition);
	}

	private static Outcome pickOutcome(int roll) {
		if (roll < 82) {
			return Outcome.COMPLETED;
		}
		if (roll < 86) {
			return Outcome.BUSY;
		}
		if (roll < 90) {
			return Outcome.NO_ANSWER;
		}
		if (roll < 91) {
			return Outcome.AGENT_CANCELED;
		}
		if (roll < 93) {
			return Outcome.FAILED;
		}
		if (roll < 97) {
			return Outcome.MISSED;
		}
		return Outcome.ABANDONED;
	}

	private String customerNumber(int index) {
		return "+9198" + digits(8, index * 7919L + (this.accountSalt & 0xFFFF));
	}

	private static String customerName(int index) {
		if (index % 5 < 2) {
			return null;
		}
		return FIRST_NAMES[index % FIRST_NAMES.length] + " " + LAST_NAMES[(index / FIRST_NAMES.length) % LAST_NAMES.length];
	}

	private static String agentId(int index) {
		return String.format("agent_%03d", index + 1);
	}

	private static String agentName(int index) {
		return FIRST_NAMES[(index * 5) % FIRST_NAMES.length] + " " + LAST_NAMES[(index * 7) % LAST_NAMES.length];
	}

	private String agentNumber(int index) {
		return "+9170" + digits(8, 1_000_003L * (index + 1) + (this.accountSalt & 0xFFF));
	}

	private String exophone(int index) {
		return "+9180" + digits(8, 31_000_019L * (index + 1) + (this.accountSalt & 0xFF));
	}

	private static String digits(int count, long value) {
		long modulus = (long) Math.pow(10, count);
		return String.format("%0" + count + "d", Math.floorMod(value, modulus));
	}

	private static String hex(long value) {
		return String.format("%016x", value);
	}

}
