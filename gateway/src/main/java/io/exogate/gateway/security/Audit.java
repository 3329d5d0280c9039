package io.exogate.gateway.security;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: one JSON event per recording link handed out, export requested and access refused,
 * on its own logger {@value #LOGGER}. Events name who asked (key id or token subject, never a secret),
 * the tenant, account, call and what was given; client text in them is bounded.
 *
 * <p>Only refusals a client can cause at will are held back, each kind on a budget of its own so that
 * one cannot hide the other: anonymous 401s to {@value #UNAUTHENTICATED_PER_SECOND} a second in all,
 * an identified client's 429s to one every {@link #RATE_LIMITED_INTERVAL} for that client. The next
 * event of the same budget says how many were left out ({@code suppressedBefore}). Every other event
 * is always written.
 */
public final class Audit {

	/** The logger audit events go to. */
	public static final String LOGGER = "exogate.audit";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	private static final int MAX_TEXT = 128;

	/** Anonymous refusals written per second, whoever sent them; the rest are counted into the next one written. */
	static final int UNAUTHENTICATED_PER_SECOND = 20;

	/** How often one client's rate-limit refusals are written; the rest are counted into that client's next one. */
	static final Duration RATE_LIMITED_INTERVAL = Duration.ofSeconds(10);

	/** The most clients whose rate-limit refusals are held at once; the least recently refused are forgotten first. */
	static final int RATE_LIMITED_CLIENTS = 10_000;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ConcurrentMap<Client, Held> rateLimited = Caffeine.newBuilder()
		.maximumSize(RATE_LIMITED_CLIENTS)
		.<Client, Held>build()
		.asMap();

	private long window;

	private int written;

	private long suppressed;

	public Audit(Clock clock) {
		this.clock = clock;
	}

	/** A signed recording link was handed to a caller. */
	public void recordingIssued(Caller caller, String account, String call, String format, String channel, String via) {
		Map<String, Object> event = event("recording.issued", caller);
		event.put("account", account);
		event.put("call", bounded(call));
		event.put("format", format);
		event.put("channel", channel);
		event.put("via", via);
		event.put("result", "issued");
		write(event);
	}

	/**
	 * An export was asked for: {@code result} is {@code accepted}, {@code refused}, {@code failed} or
	 * {@code cancelled} (the client went away before the answer).
	 */
	public void export(Caller caller, String account, String format, String callbackHost, String result, String detail) {
		Map<String, Object> event = event("export.requested", caller);
		event.put("account", bounded(account));
		event.put("format", format);
		event.put("callbackHost", bounded(callbackHost));
		event.put("via", "requestRecordingExport");
		event.put("result", result);
		if (detail != null) {
			event.put("detail", bounded(detail));
		}
		write(event);
	}

	/** Playback refusals a link's holder can cause at will, held to the anonymous budget. */
	private static final java.util.Set<String> PLAYBACK_REFUSALS = java.util.Set.of("too-many-streams", "too-many-requests", "gateway-busy");

	/**
	 * A playback link was used: {@code range} is the {@code Range} asked for (or {@code null}),
	 * {@code result} what was answered ({@code 200}, {@code 206}, {@code 416}, {@code not-available},
	 * {@code not-found}, {@code upstream-failed}, {@code failed}, {@code too-many-streams}, {@code too-many-requests},
	 * {@code gateway-busy}; the last three held to the anonymous budget). The token is never written: {@code via} is {@code /playback}.
	 */
	public void playback(String tenant, String account, String call, String format, String channel, String range, String result) {
		Map<String, Object> event = event("recording.played", null);
		event.put("tenant", tenant);
		event.put("auth", "playback-token");
		event.put("account", bounded(account));
		event.put("call", bounded(call));
		event.put("format", format);
		event.put("channel", channel);
		if (range != null) {
			event.put("range", bounded(range));
		}
		event.put("via", "/playback");
		event.put("result", result);
		if (PLAYBACK_REFUSALS.contains(result)) {
			// Whoever holds a link can cause these at will: held to the anonymous budget.
			writeAnonymous(event);
		}
		else {
			write(event);
		}
	}

	/** A caller was refused access to something outside its tenant, answered as not found. */
	public void crossTenant(Caller caller, String account, String via) {
		Map<String, Object> event = event("access.refused", caller);
		event.put("account", bounded(account));
		event.put("via", via);
		event.put("result", "cross-tenant");
		write(event);
	}

	/**
	 * A webhook from Exotel was refused: {@code result} is {@code unauthenticated}, {@code malformed},
	 * {@code too-large}, {@code unsupported-media-type}, {@code unknown-export}, {@code early} (an export of the account
	 * was being requested: told to retry) or {@code unavailable}.
	 * Held to the anonymous budget: whoever reaches a webhook URL can cause these at will. The path
	 * is written without its query, which holds the secret.
	 */
	public void webhookRefused(String path, String client, String result, String detail) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event", "webhook.refused");
		event.put("at", this.clock.instant().toString());
		if (client != null) {
			event.put("who", bounded(client));
		}
		event.put("via", bounded(path));
		event.put("result", result);
		if (detail != null) {
			event.put("detail", bounded(detail));
		}
		writeAnonymous(event);
	}

	/**
	 * An export's result was forwarded to the tenant's callback: {@code result} is {@code delivered},
	 * {@code failed} or {@code refused} (the callback is no longer allowed). Names the callback's host only.
	 */
	public void exportDelivered(String tenant, String account, String export, String callbackHost, String result,
			int attempts, String detail) {
		Map<String, Object> event = event("export.delivered", null);
		event.put("tenant", tenant);
		event.put("account", bounded(account));
		event.put("export", bounded(export));
		event.put("callbackHost", bounded(callbackHost));
		event.put("attempts", attempts);
		event.put("result", result);
		if (detail != null) {
			event.put("detail", bounded(detail));
		}
		write(event);
	}

	/** A request without valid credentials was answered 401. */
	public void unauthenticated(String reason, String path, String client) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event", "access.refused");
		event.put("at", this.clock.instant().toString());
		if (client != null) {
			event.put("who", bounded(client));
		}
		event.put("via", bounded(path));
		event.put("result", "unauthenticated");
		event.put("detail", reason);
		writeAnonymous(event);
	}

	/**
	 * A client went over its requests per minute: written at most once every
	 * {@link #RATE_LIMITED_INTERVAL} per client, the event carrying how many of that client's were left out.
	 */
	public void rateLimited(Caller caller, long retryAfterSeconds) {
		long now = this.clock.millis();
		long[] left = { -1 };
		this.rateLimited.compute(new Client(caller.tenant(), caller.client()), (client, held) -> {
			if (held == null || now - held.written() >= RATE_LIMITED_INTERVAL.toMillis() || now < held.written()) {
				left[0] = (held != null) ? held.suppressed() : 0;
				return new Held(now, 0);
			}
			return new Held(held.written(), held.suppressed() + 1);
		});
		if (left[0] < 0) {
			return;
		}
		Map<String, Object> event = event("access.refused", caller);
		event.put("result", "rate-limited");
		event.put("retryAfterSeconds", retryAfterSeconds);
		if (left[0] > 0) {
			event.put("suppressedBefore", left[0]);
		}
		write(event);
	}

	private Map<String, Object> event(String name, Caller caller) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event", name);
		event.put("at", this.clock.instant().toString());
		if (caller != null) {
			event.put("tenant", caller.tenant());
			event.put("who", caller.client());
			event.put("auth", caller.kind());
		}
		return event;
	}

	/**
	 * Refusals an anonymous client can cause at will are held to {@value #UNAUTHENTICATED_PER_SECOND} a
	 * second in all, so that a flood cannot flood the trail; the next one written says how many were left out.
	 */
	private void writeAnonymous(Map<String, Object> event) {
		long second = this.clock.millis() / 1000;
		long left;
		synchronized (this) {
			if (second != this.window) {
				this.window = second;
				this.written = 0;
			}
			if (this.written >= UNAUTHENTICATED_PER_SECOND) {
				this.suppressed++;
				return;
			}
			this.written++;
			left = this.suppressed;
			this.suppressed = 0;
		}
		if (left > 0) {
			event.put("suppressedBefore", left);
		}
		write(event);
	}

	private void write(Map<String, Object> event) {
		if (logger.isInfoEnabled()) {
			logger.info(this.json.writeValueAsString(event));
		}
	}

	private static String bounded(String text) {
		if (text == null) {
			return null;
		}
		String shown = (text.length() > MAX_TEXT) ? text.substring(0, MAX_TEXT) + "..." : text;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

	/** Whose rate-limit refusals are held. */
	private record Client(String tenant, String client) {
	}

	/** When a client's last rate-limit refusal was written, and how many of its refusals were left out since. */
	private record Held(long written, long suppressed) {
	}

}
