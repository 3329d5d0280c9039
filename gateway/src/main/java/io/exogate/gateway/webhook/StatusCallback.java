package io.exogate.gateway.webhook;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One v1 status callback as Exotel POSTs it (form-encoded; fields in the field notes), reduced to
 * what orders it against others of the same call.
 *
 * @param callSid the call
 * @param status Exotel's {@code Status}, lower case
 * @param rank how far along the call this report is: {@link #OTHER}, {@link #ANSWERED} or {@link #TERMINAL}
 * @param updatedAt Exotel's {@code DateUpdated} (IST), or {@code null} when not sent
 * @param recordingAvailable whether it carries a recording URL
 */
public record StatusCallback(String callSid, String status, int rank, Instant updatedAt, boolean recordingAvailable) {

	/** A report before the call was answered (queued, ringing). */
	public static final int OTHER = 0;

	/** The call was answered. */
	public static final int ANSWERED = 1;

	/** The call has ended. */
	public static final int TERMINAL = 2;

	private static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private static final Pattern STATUS = Pattern.compile("[a-z][a-z_-]{0,31}");

	private static final Set<String> TERMINAL_STATUSES = Set.of("completed", "failed", "busy", "no-answer", "canceled",
			"cancelled");

	private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

	private static final DateTimeFormatter V1_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	/** The callback of these form fields, or an {@link IllegalArgumentException} saying what is wrong. */
	static StatusCallback of(Map<String, String> fields) {
		String sid = fields.get("CallSid");
		if (sid == null || sid.isEmpty()) {
			throw new IllegalArgumentException("CallSid is missing");
		}
		if (!SID.matcher(sid).matches()) {
			throw new IllegalArgumentException("CallSid must be 1 to 64 letters, digits, '_' or '-'");
		}
		String status = fields.get("Status");
		if (status == null || status.isEmpty()) {
			throw new IllegalArgumentException("Status is missing");
		}
		status = status.toLowerCase(Locale.ROOT);
		if (!STATUS.matcher(status).matches()) {
			throw new IllegalArgumentException("Status is not a status word (letters, '-' and '_', at most 32)");
		}
		String event = fields.get("EventType");
		int rank;
		if (event == null || event.isEmpty()) {
			rank = TERMINAL_STATUSES.contains(status) ? TERMINAL : status.equals("in-progress") ? ANSWERED : OTHER;
		}
		else {
			rank = switch (event.toLowerCase(Locale.ROOT)) {
				case "terminal" -> TERMINAL;
				case "answered" -> ANSWERED;
				default -> throw new IllegalArgumentException("EventType must be answered or terminal");
			};
		}
		Instant updated = time(fields.get("DateUpdated"), "DateUpdated");
		String recording = fields.get("RecordingUrl");
		boolean recorded = recording != null && !recording.isBlank() && !recording.equalsIgnoreCase("null");
		if (recorded && !(recording.startsWith("https://") || recording.startsWith("http://"))) {
			throw new IllegalArgumentException("RecordingUrl is not an http(s) URL");
		}
		return new StatusCallback(sid, status, rank, updated, recorded);
	}

	/** Whether the call has ended. */
	public boolean terminal() {
		return this.rank == TERMINAL;
	}

	private static Instant time(String text, String name) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		try {
			return LocalDateTime.parse(text, V1_TIME).atZone(IST).toInstant();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException(name + " is not a time as yyyy-MM-dd HH:mm:ss");
		}
	}

}
