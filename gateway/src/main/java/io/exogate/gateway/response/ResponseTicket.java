package io.exogate.gateway.response;

import graphql.GraphQLContext;
import io.exogate.model.recording.RecordingStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What one execution tells the response cache about its answer: each recording it handed out (for the
 * answer's lifetime, its eviction by call and the audit trail of a later hit), or that it must not be kept.
 */
public final class ResponseTicket {

	/** The GraphQL context key of the ticket. */
	public static final String KEY = "exogate.responseTicket";

	private final long epoch;

	private final ConcurrentLinkedQueue<Issued> issued = new ConcurrentLinkedQueue<>();

	private volatile String refusal;

	ResponseTicket(long epoch) {
		this.epoch = epoch;
	}

	/** The ticket of an execution, {@code null} when its answer is not a candidate. */
	public static ResponseTicket of(GraphQLContext context) {
		return context.get(KEY);
	}

	/** The answer must not be kept, for this reason. */
	public void refuse(String reason) {
		this.refusal = reason;
	}

	/** A recording the answer holds, as handed out. */
	public void issued(Issued recording) {
		this.issued.add(recording);
	}

	long epoch() {
		return this.epoch;
	}

	String refusal() {
		return this.refusal;
	}

	List<Issued> recordings() {
		return List.copyOf(this.issued);
	}

	/**
	 * One recording in an answer.
	 *
	 * @param account the Exotel account
	 * @param callSid the call
	 * @param status its status
	 * @param urlExpiresAt when its signed URL expires, {@code null} without one
	 * @param playbackExpiresAt when its playback link expires, {@code null} without one
	 * @param format the format asked for
	 * @param channel the channel asked for
	 * @param via the field that handed it out
	 */
	public record Issued(String account, String callSid, RecordingStatus status, Instant urlExpiresAt,
			Instant playbackExpiresAt, String format, String channel, String via) {
	}

}
