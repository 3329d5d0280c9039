package io.exogate.gateway.export;

import io.exogate.model.recording.ExportStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway knows of one recording export of one tenant.
 *
 * @param tenant the tenant that asked for it
 * @param id Exotel's id for it
 * @param account the Exotel account it exports
 * @param status its progress
 * @param estimatedSeconds how long Exotel expected it to take, when it said
 * @param callbackUrl the tenant's own URL its result is forwarded to
 * @param requestedAt when it was asked for
 * @param updatedAt when this state last changed
 * @param downloadUrl the archive's download link, once ready
 * @param expiresAt when the download link expires, when stated
 * @param recordingCount how many recordings the archive holds, when stated
 * @param delivery how forwarding the result to {@code callbackUrl} went
 * @param deliveryAttempts how many times it was POSTed
 * @param deliveredAt when the last delivery attempt ended
 */
public record ExportState(String tenant, String id, String account, ExportStatus status, Integer estimatedSeconds,
		String callbackUrl, Instant requestedAt, Instant updatedAt, String downloadUrl, Instant expiresAt,
		Integer recordingCount, Delivery delivery, int deliveryAttempts, Instant deliveredAt) {

	public ExportState {
		Objects.requireNonNull(tenant, "tenant");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(account, "account");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(delivery, "delivery");
	}

	/** Whether the export has ended, ready or failed. */
	public boolean finished() {
		return this.status != ExportStatus.PROCESSING;
	}

	ExportState withResult(ExportStatus status, String downloadUrl, Instant expiresAt, Integer recordingCount, Instant now) {
		return new ExportState(this.tenant, this.id, this.account, status, this.estimatedSeconds, this.callbackUrl,
				this.requestedAt, now, downloadUrl, expiresAt, recordingCount,
				(status == ExportStatus.PROCESSING) ? this.delivery : Delivery.PENDING, this.deliveryAttempts, this.deliveredAt);
	}

	ExportState withDelivery(Delivery delivery, int attempts, Instant now) {
		return new ExportState(this.tenant, this.id, this.account, this.status, this.estimatedSeconds, this.callbackUrl,
				this.requestedAt, now, this.downloadUrl, this.expiresAt, this.recordingCount, delivery, attempts,
				(delivery == Delivery.PENDING) ? this.deliveredAt : now);
	}

	/** How forwarding an export's result to the tenant's callback went. */
	public enum Delivery {

		/** The export has no result yet. */
		WAITING,

		/** The result is being forwarded. */
		PENDING,

		/** The callback answered 2xx. */
		DELIVERED,

		/** Every attempt failed (no answer in time, or an answer other than 2xx; redirects are not followed). */
		FAILED,

		/** The callback is no longer allowed for the tenant, so nothing was sent. */
		REFUSED

	}

}
