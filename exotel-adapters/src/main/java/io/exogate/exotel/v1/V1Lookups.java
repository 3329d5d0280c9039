package io.exogate.exotel.v1;

import io.exogate.exotel.CallSids;
import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.Upstream;
import io.exogate.exotel.WireJson;
import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.recording.Recording;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** v1 lookups by SID: one call with its legs, many calls through the {@code Sid} filter, a pre-signed recording. */
final class V1Lookups {

	private final ExotelConnections connections;

	private final Clock clock;

	private final PhoneNumbers numbers;

	V1Lookups(ExotelConnections connections, Clock clock) {
		this.connections = connections;
		this.clock = clock;
		this.numbers = connections.phoneNumbers();
	}

	Mono<Call> call(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			String path = new QueryString().with("details", "true").appendTo(callPath(accountSid, sid));
			return upstream.get("calls.get", path).map((body) -> single(body, accountSid, this.numbers));
		});
	}

	Flux<Call> calls(String accountSid, Collection<String> callSids) {
		return Flux.defer(() -> {
			List<String> sids = CallSids.requireAll(callSids);
			Upstream upstream = this.connections.upstream(accountSid, ApiVersion.V1);
			return Flux.fromIterable(sids).buffer(V1Pages.MAX_SIZE).concatMap((batch) -> {
				String path = new QueryString().with("Sid", String.join(",", batch))
					.with("PageSize", V1Pages.MAX_SIZE)
					.with("details", "true")
					.appendTo(V1Pages.listPath(accountSid));
				// A batch fits one page: a NextPageUri after it (Exotel sends one after any page with records) leads nowhere.
				return V1Pages.fetch(upstream, accountSid, path, this.numbers).flatMapIterable(V1Pages.Page::calls);
			});
		});
	}

	Mono<Recording> presignedRecording(String accountSid, String callSid) {
		return Mono.defer(() -> {
			String sid = CallSids.require(callSid);
			Duration validity = this.connections.account(accountSid).presignedUrlValidity();
			Instant asked = this.clock.instant();
			String path = new QueryString().with("RecordingUrlValidity", validity.toMinutes()).appendTo(callPath(accountSid, sid));
			return this.connections.upstream(accountSid, ApiVersion.V1)
				.get("calls.get", path)
				.map((body) -> V1Mapper.toPresignedRecording(WireJson.read(body, V1CallsPage.Single.class).call(), sid, accountSid,
						asked, validity, this.clock.instant(), this.numbers));
		});
	}

	private static Call single(String body, String accountSid, PhoneNumbers numbers) {
		V1CallsPage.Single single = WireJson.read(body, V1CallsPage.Single.class);
		if (single.call() == null) {
			throw new NotFoundException("Exotel v1 returned no call");
		}
		return V1Mapper.toCall(single.call(), accountSid, numbers);
	}

	private static String callPath(String accountSid, String callSid) {
		return "/v1/Accounts/" + QueryString.encode(accountSid) + "/Calls/" + QueryString.encode(callSid) + ".json";
	}

}
