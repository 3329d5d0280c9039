package io.exogate.exotel.v1;

import io.exogate.exotel.PhoneNumbers;
import io.exogate.exotel.QueryString;
import io.exogate.exotel.Upstream;
import io.exogate.exotel.WireJson;
import io.exogate.exotel.WireValues;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallField;
import io.exogate.model.error.UpstreamUnavailableException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/** Fetches pages of v1's call list and reads them: calls, which have a recording, the next page and the total. */
final class V1Pages {

	/** Exotel answers at most this many calls per page and accepts at most this many SIDs per request. */
	static final int MAX_SIZE = CallField.V1_LOOKUP_BATCH;

	private V1Pages() {
	}

	/** The page at {@code path} (already encoded), fetched on subscription; its numbers read with {@code numbers}. */
	static Mono<Page> fetch(Upstream upstream, String accountSid, String path, PhoneNumbers numbers) {
		return upstream.get("calls.list", path).map((body) -> read(body, accountSid, numbers));
	}


	/** The path of the account's call list. */
	static String listPath(String accountSid) {
		return "/v1/Accounts/" + QueryString.encode(accountSid) + "/Calls.json";
	}

	private static Page read(String body, String accountSid, PhoneNumbers numbers) {
		V1CallsPage wire = WireJson.read(body, V1CallsPage.class);
		List<Call> calls = new ArrayList<>();
		Set<String> recorded = new HashSet<>();
		if (wire.calls() != null) {
			for (V1CallResource call : wire.calls()) {
				calls.add(V1Mapper.toCall(call, accountSid, numbers));
				if (WireValues.text(call.recordingUrl()) != null) {
					recorded.add(call.sid());
				}
			}
		}
		String next = (wire.metadata() != null) ? WireValues.text(wire.metadata().nextPageUri()) : null;
		if (next != null && calls.isEmpty()) {
			next = null;
		}
		String list = listPath(accountSid);
		if (next != null && !next.startsWith(list + "?") && !next.startsWith(list.replace(".json", "") + "?")) {
			throw new UpstreamUnavailableException("Exotel v1 pointed the next page outside this account's calls");
		}
		return new Page(calls, recorded, next, V1Mapper.total(wire.metadata()));
	}

	/**
	 * One page as read.
	 * @param calls its calls, in Exotel's order
	 * @param recorded the SIDs of those with a recording
	 * @param next the path of the following page, or {@code null} on the last one
	 * @param total how many calls the request matches, or {@code null} when not stated
	 */
	record Page(List<Call> calls, Set<String> recorded, String next, Long total) {

		Page {
			calls = List.copyOf(calls);
			recorded = Set.copyOf(recorded);
		}

	}

}
