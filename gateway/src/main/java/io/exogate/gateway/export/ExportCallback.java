package io.exogate.gateway.export;

import io.exogate.model.recording.ExportStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exotel's export callback, POSTed as JSON when an export is ready:
 * {@code {"export_id", "status", "download_url", "expires_at", "recording_count", ...}}.
 *
 * @param exportId the export
 * @param status its progress: {@code completed} (or {@code ready}) is READY, {@code failed} FAILED, anything else PROCESSING
 * @param downloadUrl the archive's link, for a ready export
 * @param expiresAt when the link expires, when stated
 * @param recordingCount how many recordings the archive holds, when stated
 */
public record ExportCallback(String exportId, ExportStatus status, String downloadUrl, Instant expiresAt, Integer recordingCount) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

	private static final Pattern STATUS = Pattern.compile("[a-z][a-z_-]{0,31}");

	private static final int MAX_URL = 4096;

	/** The callback of this body, or an {@link IllegalArgumentException} saying what is wrong. */
	@SuppressWarnings("unchecked")
	static ExportCallback parse(String body) {
		Map<String, Object> fields;
		try {
			Object read = JSON.readValue(body, Object.class);
			if (!(read instanceof Map)) {
				throw new IllegalArgumentException("the body is not a JSON object");
			}
			fields = (Map<String, Object>) read;
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("the body is not JSON");
		}
		String id = text(fields, "export_id");
		if (id == null || !ID.matcher(id).matches()) {
			throw new IllegalArgumentException("export_id is missing or not 1 to 128 letters, digits, '_', '.' or '-'");
		}
		String raw = text(fields, "status");
		if (raw == null || !STATUS.matcher(raw.toLowerCase(Locale.ROOT)).matches()) {
			throw new IllegalArgumentException("status is missing or not a status word");
		}
		ExportStatus status = switch (raw.toLowerCase(Locale.ROOT)) {
			case "completed", "ready", "available" -> ExportStatus.READY;
			case "failed", "error", "expired" -> ExportStatus.FAILED;
			default -> ExportStatus.PROCESSING;
		};
		String url = text(fields, "download_url");
		if (url != null && (url.length() > MAX_URL || !(url.startsWith("https://") || url.startsWith("http://")))) {
			throw new IllegalArgumentException("download_url is not an http(s) URL of at most " + MAX_URL + " characters");
		}
		if (status == ExportStatus.READY && url == null) {
			throw new IllegalArgumentException("a completed export needs its download_url");
		}
		Object count = fields.get("recording_count");
		Integer recordings = null;
		if (count instanceof Number number && number.longValue() >= 0 && number.longValue() <= Integer.MAX_VALUE) {
			recordings = number.intValue();
		}
		else if (count != null && !(count instanceof String text && text.isEmpty())) {
			throw new IllegalArgumentException("recording_count is not a count");
		}
		return new ExportCallback(id, status, url, time(text(fields, "expires_at")), recordings);
	}

	private static String text(Map<String, Object> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text)) {
			throw new IllegalArgumentException(name + " is not text");
		}
		return text.isEmpty() ? null : text;
	}

	/** ISO-8601 with a zone or offset, or v1's IST {@code yyyy-MM-dd HH:mm:ss}; {@code null} when unreadable. */
	private static Instant time(String text) {
		if (text == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeException ex) {
			try {
				return LocalDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT))
					.atZone(ZoneId.of("Asia/Kolkata"))
					.toInstant();
			}
			catch (DateTimeException again) {
				return null;
			}
		}
	}

}
