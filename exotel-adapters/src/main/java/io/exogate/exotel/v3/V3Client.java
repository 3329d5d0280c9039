package io.exogate.exotel.v3;

import io.exogate.exotel.CallSids;
import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.Upstream;
import io.exogate.exotel.WireJson;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallField;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.error.UpstreamUnavailableException;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingExport;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Exotel v3: call details (app, digits, state), active calls, and voice logs for one call, for many
 * calls (bulk, 100 per request) and as a date-range export. Starting an export is never retried.
 */
public final class V3Client {

	static final int MAX_BULK = CallField.RECORDING_BATCH;

	private final ExotelConnections connections;

	private final Clock clock;

	private final PhoneNumbers numbers;

	public V3Client(ExotelConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
		this.numbers = connections.phoneNumbers();
	}

	/** v3's view of a call. */
	public Mono<Call> call(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			return upstream(accountSid).get("calls.get", base(accountSid) + "/calls/" + QueryString.encode(sid)).map((body) -> {
				V3Wire.CallEnvelope envelope = WireJson.read(body, V3Wire.CallEnvelope.class);
				if (envelope.response() == null || envelope.response().callDetails() == null) {
					throw new NotFoundException("Exotel v3 returned no details for call " + sid);
				}
				return V3Mapper.toCall(envelope.response().callDetails(), accountSid, this.numbers);
			});
		});
	}

	/** Calls that are live or wrapping up. */
	public Flux<Call> activeCalls(String accountSid) {
		return Flux.defer(() -> upstream(accountSid).get("calls.active", base(accountSid) + "/calls/active")
			.flatMapIterable((body) -> {
				V3Wire.ActiveEnvelope envelope = WireJson.read(body, V3Wire.ActiveEnvelope.class);
				List<Call> calls = new ArrayList<>();
				if (envelope.response() != null && envelope.response().callDetails() != null) {
					envelope.response().callDetails().forEach((details) -> calls.add(V3Mapper.toCall(details, accountSid, this.numbers)));
				}
				return calls;
			}));
	}

	/** One call's recording; a call without one is a {@code NOT_AVAILABLE} recording, not an error. */
	public Mono<Recording> recording(String accountSid, String callSid, RecordingFormat format, RecordingChannel channel) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			requireKnown(format, channel);
			Instant asked = this.clock.instant();
			String path = new QueryString().with("format", format.name().toLowerCase(Locale.ROOT))
				.with("channel", channel.name().toLowerCase(Locale.ROOT))
				.appendTo(base(accountSid) + "/calls/" + QueryString.encode(sid) + "/voice-logs");
			return upstream(accountSid).get("voice-logs.get", path)
				.map((body) -> {
					V3Wire.VoiceLogEnvelope envelope = WireJson.read(body, V3Wire.VoiceLogEnvelope.class);
					if (envelope.response() == null || envelope.response().voiceLog() == null) {
						throw new UpstreamUnavailableException("Exotel v3 returned no voice log for call " + sid);
					}
					return V3Mapper.toRecording(envelope.response().voiceLog(), sid, format, channel, asked, this.clock.instant(),
							defaultValidity());
				})
				.onErrorResume(NotFoundException.class,
						(ex) -> Mono.just(Recording.unavailable(sid, RecordingStatus.NOT_AVAILABLE, format, channel)));
		});
	}

	/** Many calls' recordings, one bulk request per 100 distinct SIDs. */
	public Flux<Recording> recordings(String accountSid, Collection<String> callSids, RecordingFormat format,
			RecordingChannel channel) {
		return Flux.defer(() -> {
			List<String> sids = CallSids.requireAll(callSids);
			requireKnown(format, channel);
			Upstream upstream = upstream(accountSid);
			List<List<String>> batches = new ArrayList<>();
			for (int i = 0; i < sids.size(); i += MAX_BULK) {
				batches.add(sids.subList(i, Math.min(sids.size(), i + MAX_BULK)));
			}
			return Flux.fromIterable(batches).flatMapSequential((batch) -> {
				Instant asked = this.clock.instant();
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("call_sids", batch);
				body.put("format", format.name().toLowerCase(Locale.ROOT));
				body.put("channel", channel.name().toLowerCase(Locale.ROOT));
				return upstream.post("voice-logs.bulk", base(accountSid) + "/voice-logs/bulk", body, true)
					.flatMapIterable((text) -> {
						V3Wire.VoiceLogEnvelope envelope = WireJson.read(text, V3Wire.VoiceLogEnvelope.class);
						Instant now = this.clock.instant();
						List<Recording> recordings = new ArrayList<>();
						if (envelope.response() != null && envelope.response().voiceLogs() != null) {
							for (V3Wire.VoiceLog log : envelope.response().voiceLogs()) {
								String sid = (log != null) ? WireValues.text(log.callSid()) : null;
								if (sid != null && batch.contains(sid)) {
									recordings.add(V3Mapper.toRecording(log, sid, format, channel, asked, now, defaultValidity()));
								}
							}
						}
						return recordings;
					});
			}, 2);
		});
	}

	/** Starts an export; the request is sent once, never retried. */
	public Mono<RecordingExport> export(String accountSid, RecordingExportRequest request) {
		return Mono.defer(() -> {
			if (request.format() == RecordingFormat.UNKNOWN) {
				throw new BadRequestException("Ask for an export as MP3 or WAV");
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("start_date", DateTimeFormatter.ISO_INSTANT.format(request.window().from()));
			body.put("end_date", DateTimeFormatter.ISO_INSTANT.format(request.window().to()));
			body.put("format", request.format().name().toLowerCase(Locale.ROOT));
			body.put("callback_url", request.callbackUrl().toString());
			return upstream(accountSid).post("voice-logs.export", base(accountSid) + "/voice-logs/export", body, false)
				.map((text) -> {
					V3Wire.VoiceLogEnvelope envelope = WireJson.read(text, V3Wire.VoiceLogEnvelope.class);
					return V3Mapper.toExport((envelope.response() != null) ? envelope.response().export() : null, request.callbackUrl());
				});
		});
	}

	/** {@code UNKNOWN} names what upstream answered, never what can be asked for. */
	private static void requireKnown(RecordingFormat format, RecordingChannel channel) {
		if (format == RecordingFormat.UNKNOWN) {
			throw new BadRequestException("Ask for a recording as MP3 or WAV");
		}
		if (channel == RecordingChannel.UNKNOWN) {
			throw new BadRequestException("Ask for a single or dual channel recording");
		}
	}

	private Duration defaultValidity() {
		return this.connections.properties().recordingUrlValidity();
	}

	private Upstream upstream(String accountSid) {
		return this.connections.upstream(accountSid, ApiVersion.V3);
	}

	private static String base(String accountSid) {
		return "/v3/accounts/" + QueryString.encode(accountSid);
	}

}
