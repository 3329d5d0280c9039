package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.call.CallNode;
import io.exogate.gateway.playback.PlaybackLinks;
import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.response.ResponseTicket;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.subscription.RecordingReadiness;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.RecordingLinks;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingFormat;
import io.exogate.model.recording.RecordingStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code recording}, {@code recordings}, {@code Call.recording} and the {@code recordingReady} subscription, all through the recording cache. */
@Controller
public class RecordingController {

	static final int MAX_SIDS = 500;

	private final RecordingService recordings;

	private final Accounts accounts;

	private final RecordingLinks links;

	private final Audit audit;

	private final PlaybackLinks playback;

	private final RecordingReadiness readiness;

	public RecordingController(RecordingService recordings, Accounts accounts, RecordingLinks links, BatchLoaderRegistry registry,
			Audit audit, PlaybackLinks playback, RecordingReadiness readiness) {
		this.playback = playback;
		this.readiness = readiness;
		this.recordings = recordings;
		this.accounts = accounts;
		this.links = links;
		this.audit = audit;
		registry.forTypePair(RecordingKey.class, Recording.class).registerMappedBatchLoader((keys, environment) -> load(keys));
	}

	@QueryMapping
	public Mono<RecordingView> recording(@Argument String callSid, @Argument RecordingFormat format,
			@Argument RecordingChannel channel, @Argument Boolean verify, @Argument String account, GraphQLContext context) {
		return Mono.defer(() -> {
			requireKnown(format, channel);
			if (callSid.isBlank()) {
				throw new BadRequestException("callSid is empty");
			}
			String resolved = this.accounts.resolve(context, account, "recording");
			String tenant = CallerScope.tenant(context).id();
			if (Boolean.TRUE.equals(verify)) {
				ResponseTicket ticket = ResponseTicket.of(context);
				if (ticket != null) {
					// A verified answer says the link answered just now: it is not served again.
					ticket.refuse("verify");
				}
			}
			Mono<Recording> recording = Boolean.TRUE.equals(verify)
					? this.recordings.verified(tenant, resolved, callSid, format, channel, this.links)
					: this.recordings.recording(tenant, resolved, callSid, format, channel);
			return recording
				.defaultIfEmpty(Recording.unavailable(callSid, RecordingStatus.NOT_AVAILABLE, format, channel))
				.map((found) -> issued(context, resolved, found, "recording"));
		});
	}

	/**
	 * The recording once available, then completion; the wait is shared with every subscriber of the
	 * same tenant, account, call, format and channel, and each gets its own playback link.
	 */
	@SubscriptionMapping
	public Mono<RecordingView> recordingReady(@Argument String callSid, @Argument RecordingFormat format,
			@Argument RecordingChannel channel, @Argument String account, GraphQLContext context) {
		return Mono.defer(() -> {
			requireKnown(format, channel);
			if (callSid.isBlank()) {
				throw new BadRequestException("callSid is empty");
			}
			String resolved = this.accounts.resolve(context, account, "recordingReady");
			String tenant = CallerScope.tenant(context).id();
			return this.readiness.ready(new RecordingReadiness.Key(tenant, resolved, callSid, format, channel))
				.map((found) -> issued(context, resolved, found, "recordingReady"));
		});
	}

	@QueryMapping
	public Mono<List<RecordingView>> recordings(@Argument List<String> callSids, @Argument RecordingFormat format,
			@Argument RecordingChannel channel, @Argument String account, GraphQLContext context) {
		return Mono.defer(() -> {
			requireKnown(format, channel);
			String resolved = this.accounts.resolve(context, account, "recordings");
			List<String> distinct = callSids.stream().distinct().toList();
			if (distinct.size() > MAX_SIDS) {
				throw new BadRequestException("'recordings' takes at most " + MAX_SIDS + " call SIDs, got " + distinct.size());
			}
			return this.recordings.recordings(CallerScope.tenant(context).id(), resolved, distinct, format, channel)
				.map((found) -> callSids.stream()
					.map((sid) -> issued(context, resolved, found.getOrDefault(sid,
							Recording.unavailable(sid, RecordingStatus.NOT_AVAILABLE, format, channel)), "recordings"))
					.toList());
		});
	}

	@SchemaMapping(typeName = "Call")
	public CompletableFuture<RecordingView> recording(CallNode call, @Argument RecordingFormat format,
			@Argument RecordingChannel channel, DataLoader<RecordingKey, Recording> loader, GraphQLContext context) {
		try {
			requireKnown(format, channel);
		}
		catch (BadRequestException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return loader.load(new RecordingKey(CallerScope.tenant(context).id(), call.account(), call.sid(), format, channel))
			.thenApply((recording) -> issued(context, call.account(), (recording != null) ? recording
					: Recording.unavailable(call.sid(), RecordingStatus.NOT_AVAILABLE, format, channel), "Call.recording"));
	}

	private Mono<Map<RecordingKey, Recording>> load(java.util.Set<RecordingKey> keys) {
		Map<List<Object>, List<RecordingKey>> groups = keys.stream()
			.collect(Collectors.groupingBy((key) -> List.of(key.tenant(), key.account(), key.format(), key.channel()), LinkedHashMap::new,
					Collectors.toList()));
		return Flux.fromIterable(groups.values()).flatMap((group) -> {
			RecordingKey any = group.get(0);
			List<String> sids = group.stream().map(RecordingKey::sid).toList();
			return this.recordings.recordings(any.tenant(), any.account(), sids, any.format(), any.channel())
				.flatMapIterable(Map::values)
				.map((recording) -> Map.entry(new RecordingKey(any.tenant(), any.account(), recording.callSid(), any.format(),
						any.channel()), recording));
		}).collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/** The recording as handed out; a signed link handed out is an audit event. */
	private RecordingView issued(GraphQLContext context, String account, Recording recording, String via) {
		if (recording.url() != null) {
			this.audit.recordingIssued(CallerScope.caller(context), account, recording.callSid(), recording.format().name(),
					recording.channel().name(), via);
		}
		PlaybackLinks.Link link = this.playback.link(CallerScope.tenant(context).id(), account, recording);
		ResponseTicket ticket = ResponseTicket.of(context);
		if (ticket != null) {
			ticket.issued(new ResponseTicket.Issued(account, recording.callSid(), recording.status(),
					(recording.url() != null) ? recording.url().expiresAt() : null, (link != null) ? link.expiresAt() : null,
					recording.format().name(), recording.channel().name(), via));
		}
		return RecordingView.of(recording, (link != null) ? link.url() : null);
	}

	/** {@code UNKNOWN} describes what Exotel answered; it cannot be asked for. */
	static void requireKnown(RecordingFormat format, RecordingChannel channel) {
		if (format == RecordingFormat.UNKNOWN || channel == RecordingChannel.UNKNOWN) {
			throw new BadRequestException("format and channel take MP3 or WAV, and SINGLE or DUAL; UNKNOWN only describes answers");
		}
	}

	/** One recording variant of one call, as one tenant sees it. */
	public record RecordingKey(String tenant, String account, String sid, RecordingFormat format, RecordingChannel channel) {
	}

	/** A recording as GraphQL reads it. */
	public record RecordingView(String callSid, RecordingStatus status, String url, Instant expiresAt, RecordingFormat format,
			RecordingChannel channel, String rawFormat, String rawChannel, Integer durationSeconds, Long sizeBytes,
			Instant createdAt, String playbackUrl) {

		static RecordingView of(Recording recording, String playbackUrl) {
			return new RecordingView(recording.callSid(), recording.status(),
					(recording.url() != null) ? recording.url().uri().toString() : null,
					(recording.url() != null) ? recording.url().expiresAt() : null, recording.format(), recording.channel(),
					recording.rawFormat(), recording.rawChannel(), CallNode.seconds(recording.duration()), recording.sizeBytes(),
					recording.createdAt(), playbackUrl);
		}

	}

}
