package io.exogate.exotel.v1;

import io.exogate.exotel.ExotelConnections;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import io.exogate.model.recording.Recording;
import java.time.Clock;
import java.util.Collection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Exotel v1 Calls: call details by SID (with legs), SID lookups in batches of 100 through the
 * {@code Sid} filter, pre-signed recording URLs, and call search. A search splits windows longer
 * than a month into monthly requests, fans more than five numbers (and customer numbers, which
 * may be {@code To} or {@code From}) out into several requests merged in order without duplicates,
 * and follows {@code NextPageUri}. Number filters are sent in E.164, however the query wrote them,
 * and numbers on the calls come back in E.164 where readable. Nothing is sent before subscription.
 */
public final class V1Client {

	private final V1Lookups lookups;

	private final V1Search search;

	public V1Client(ExotelConnections connections, Clock clock) {
		this.lookups = new V1Lookups(connections, clock);
		this.search = new V1Search(connections, clock);
	}

	/** One call with its legs. */
	public Mono<Call> call(String accountSid, String callSid) {
		return this.lookups.call(accountSid, callSid);
	}

	/** Many calls by SID, 100 per request through the {@code Sid} filter; unknown SIDs are left out. */
	public Flux<Call> calls(String accountSid, Collection<String> callSids) {
		return this.lookups.calls(accountSid, callSids);
	}

	/**
	 * The call's recording as a v1 pre-signed URL, valid for the account's configured
	 * {@code presigned-url-validity}; its expiry is the earlier of that and what the URL states.
	 */
	public Mono<Recording> presignedRecording(String accountSid, String callSid) {
		return this.lookups.presignedRecording(accountSid, callSid);
	}

	/** One page of a search, continuing after or before the page request's cursor. */
	public Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page) {
		return this.search.page(accountSid, query, page);
	}

}
