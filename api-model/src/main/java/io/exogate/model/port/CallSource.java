package io.exogate.model.port;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import java.util.Collection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls of one Exotel account. Implementations are lazy: nothing is sent upstream before
 * subscription. Failures are signalled as {@link io.exogate.model.error.ExogateException}s.
 */
public interface CallSource {

	/**
	 * One call by SID.
	 * @return the call, or an error signal of {@code NotFoundException} when the account has no such call
	 */
	Mono<Call> call(String accountSid, String callSid);

	/**
	 * Many calls by SID, batched upstream. SIDs the account does not know are left out; the order
	 * of the results is not specified.
	 */
	Flux<Call> calls(String accountSid, Collection<String> callSids);

	/**
	 * What one API version reports of a call: v1 numbers, price and legs; v3 app, digits and state;
	 * v4 agent, customer, disposition and timeline. Its {@code sources} name that version alone.
	 */
	Mono<Call> call(String accountSid, String callSid, ApiVersion version);

	/**
	 * One page of a call search, answered by the version that can: v4 when the query filters by
	 * agent or by a v4-only status, v1 otherwise; a cursor continues on the version that issued it.
	 */
	Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page);

	/**
	 * One page of a call search answered by the given version ({@code V1} or {@code V4}), for
	 * callers that know which fields they need.
	 */
	Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page, ApiVersion version);

	/** Calls that are live now, or wrapping up. */
	Flux<Call> activeCalls(String accountSid);

}
