package io.exogate.exotel;

import io.exogate.model.error.ExogateException;
import io.exogate.model.error.UpstreamUnavailableException;
import java.util.function.Supplier;

/**
 * Reads what upstream answered so that any failure reaches callers as
 * {@link UpstreamUnavailableException} with a message of our own, never a library's.
 */
public final class UpstreamReading {

	private UpstreamReading() {
	}

	/**
	 * What {@code reading} returns. A typed error it throws passes unchanged; any other failure
	 * becomes {@link UpstreamUnavailableException} with {@code unreadable} as its whole message,
	 * the failure kept as the cause for the logs.
	 * @param unreadable the message, naming the version and what could not be read
	 */
	public static <T> T read(String unreadable, Supplier<T> reading) {
		try {
			return reading.get();
		}
		catch (ExogateException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new UpstreamUnavailableException(unreadable, ex);
		}
	}

}
