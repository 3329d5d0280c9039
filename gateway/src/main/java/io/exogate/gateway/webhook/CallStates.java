package io.exogate.gateway.webhook;

import reactor.core.publisher.Mono;

/**
 * The last known state of each call Exotel called back about, so that a duplicate or a stale
 * callback changes nothing: reports are ordered by rank (terminal beats answered), then
 * {@code DateUpdated}, then their content, and only one that comes strictly later is applied.
 * Entries live for a bounded time (and, in process, in bounded number).
 */
public interface CallStates {

	/**
	 * Applies the callback if it comes after the call's known state: {@code true} when it did (a real
	 * change), {@code false} when it changed nothing; an error when the state could not be read or written.
	 */
	Mono<Boolean> advance(String account, StatusCallback callback);

	/** The call's known state, or empty. */
	Mono<CallState> get(String account, String callSid);

	/**
	 * A call's known state, ordered as {@link CallStates} orders reports.
	 *
	 * @param rank {@link StatusCallback#OTHER}, {@link StatusCallback#ANSWERED} or {@link StatusCallback#TERMINAL}
	 * @param updatedMillis Exotel's {@code DateUpdated} in epoch milliseconds, 0 when not sent
	 * @param status Exotel's status
	 * @param recordingAvailable whether a recording URL was reported
	 */
	record CallState(int rank, long updatedMillis, String status, boolean recordingAvailable) implements Comparable<CallState> {

		static CallState of(StatusCallback callback) {
			return new CallState(callback.rank(), (callback.updatedAt() != null) ? callback.updatedAt().toEpochMilli() : 0,
					callback.status(), callback.recordingAvailable());
		}

		/** The part after rank and time, compared as text: the same order in Java and in Redis. */
		String content() {
			return this.status + "|" + (this.recordingAvailable ? "1" : "0");
		}

		String encode() {
			return this.rank + "|" + this.updatedMillis + "|" + content();
		}

		static CallState decode(String text) {
			String[] parts = text.split("\\|", 4);
			return new CallState(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), parts[2], "1".equals(parts[3]));
		}

		@Override
		public int compareTo(CallState other) {
			int byRank = Integer.compare(this.rank, other.rank);
			if (byRank != 0) {
				return byRank;
			}
			int byTime = Long.compare(this.updatedMillis, other.updatedMillis);
			return (byTime != 0) ? byTime : content().compareTo(other.content());
		}

	}

}
