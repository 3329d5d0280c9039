package io.exogate.gateway.security;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: one JSON event per recording link handed out, export requested and access refused,
 * on its own logger {@value #LOGGER}. Events name who asked (key id or token subject, never a secret),
 * the tenant, account, call and what was given; client text in them is bounded.
 */
public final class Audit {

	/** The logger audit events go to. */
	public static final String LOGGER = "exogate.audit";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER);

	private static final int MAX_TEXT = 128;

	/** Refusals of anonymous or over-limit requests written per second; the rest are counted into the next one. */
	static final int REFUSALS_PER_SECOND = 20;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

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

	/** An export was asked for: {@code result} is {@code accepted}, {@code refused} or {@code failed}. */
	public void export(Caller caller, String account, String format, String callbackHost, String result, String detail) {
		Map<String, Object> event = event("export.requested", caller);
		event.put("account", account);
		event.put("format", format);
		event.put("callbackHost", bounded(callbackHost));
		event.put("via", "requestRecordingExport");
		event.put("result", result);
		if (detail != null) {
			event.put("detail", bounded(detail));
		}
		write(event);
	}

	/** A caller was refused access to something outside its tenant, answered as not found. */
	public void crossTenant(Caller caller, String account, String via) {
		Map<String, Object> event = event("access.refused", caller);
		event.put("account", bounded(account));
		event.put("via", via);
		event.put("result", "cross-tenant");
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
		writeRefusal(event);
	}

	/** A client went over its requests per minute. */
	public void rateLimited(Caller caller, long retryAfterSeconds) {
		Map<String, Object> event = event("access.refused", caller);
		event.put("result", "rate-limited");
		event.put("retryAfterSeconds", retryAfterSeconds);
		writeRefusal(event);
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
	 * Refusals an anonymous client can cause at will are held to {@value #REFUSALS_PER_SECOND} a second,
	 * so that a flood cannot flood the trail; the next event written says how many were left out.
	 */
	private void writeRefusal(Map<String, Object> event) {
		long second = this.clock.millis() / 1000;
		long left;
		synchronized (this) {
			if (second != this.window) {
				this.window = second;
				this.written = 0;
			}
			if (this.written >= REFUSALS_PER_SECOND) {
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

}
