package io.exogate.exotel;

import io.exogate.exotel.v1.V1Client;
import io.exogate.exotel.v3.V3Client;
import io.exogate.exotel.v4.V4Client;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.CallSort;
import io.exogate.model.call.SearchRoute;
import io.exogate.model.call.PageRequest;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.CallSource;
import io.exogate.model.port.RecordingExports;
import io.exogate.model.port.RecordingSource;
import io.exogate.model.recording.Recording;
import io.exogate.model.recording.RecordingChannel;
import io.exogate.model.recording.RecordingExport;
import io.exogate.model.recording.RecordingExportRequest;
import io.exogate.model.recording.RecordingFormat;
import java.util.Collection;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ports over Exotel: calls from v1 (details, SID batches, search), v3 (details, active calls)
 * and v4 (agent data, agent searches); recordings and exports from v3.
 */
public final class ExotelCallSource implements CallSource, RecordingSource, RecordingExports {

	private final V1Client v1;

	private final V3Client v3;

	private final V4Client v4;

	public ExotelCallSource(V1Client v1, V3Client v3, V4Client v4) {
		this.v1 = v1;
		this.v3 = v3;
		this.v4 = v4;
	}

	@Override
	public Mono<Call> call(String accountSid, String callSid) {
		return this.v1.call(accountSid, callSid);
	}

	@Override
	public Flux<Call> calls(String accountSid, Collection<String> callSids) {
		return this.v1.calls(accountSid, callSids);
	}

	@Override
	public Mono<Call> call(String accountSid, String callSid, ApiVersion version) {
		return switch (version) {
			case V1 -> this.v1.call(accountSid, callSid);
			case V3 -> this.v3.call(accountSid, callSid);
			case V4 -> this.v4.call(accountSid, callSid);
		};
	}

	@Override
	public Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page) {
		return Mono.defer(() -> search(accountSid, query, page, route(query, page)));
	}

	@Override
	public Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page, ApiVersion version) {
		return Mono.defer(() -> {
			if (page.fromEnd()) {
				CallQuery reversed = query.withSort((query.sort() == CallSort.NEWEST_FIRST) ? CallSort.OLDEST_FIRST : CallSort.NEWEST_FIRST);
				return searchIn(accountSid, reversed, PageRequest.first(page.size()), version)
					.map((found) -> PageCursor.fromEnd(found, version));
			}
			return searchIn(accountSid, query, page, version);
		});
	}

	private Mono<CallPage> searchIn(String accountSid, CallQuery query, PageRequest page, ApiVersion version) {
		return switch (version) {
			case V1 -> this.v1.search(accountSid, query, page);
			case V4 -> this.v4.search(accountSid, query, page);
			case V3 -> Mono.error(new BadRequestException("Exotel v3 cannot search calls"));
		};
	}

	@Override
	public Flux<Call> activeCalls(String accountSid) {
		return this.v3.activeCalls(accountSid);
	}

	@Override
	public Mono<Recording> recording(String accountSid, String callSid, RecordingFormat format, RecordingChannel channel) {
		return this.v3.recording(accountSid, callSid, format, channel);
	}

	@Override
	public Flux<Recording> recordings(String accountSid, Collection<String> callSids, RecordingFormat format,
			RecordingChannel channel) {
		return this.v3.recordings(accountSid, callSids, format, channel);
	}

	@Override
	public Mono<RecordingExport> requestExport(String accountSid, RecordingExportRequest request) {
		return this.v3.export(accountSid, request);
	}

	/** Which version answers a search: the cursor's, else the one {@link SearchRoute} picks for the filter alone. */
	static ApiVersion route(CallQuery query, PageRequest page) {
		String cursor = page.cursor();
		if (cursor != null) {
			return PageCursor.decode(cursor).version();
		}
		return SearchRoute.route(query, List.of());
	}

}
