package io.exogate.model.port;

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

	/** One page of a call search; continue with the page's cursors. */
	Mono<CallPage> search(String accountSid, CallQuery query, PageRequest page);

	/** Calls that are live now, or wrapping up. */
	Flux<Call> activeCalls(String accountSid);

}
