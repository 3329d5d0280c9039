package io.exogate.gateway.logging;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;

/** Recognizes the failures a client causes by going away mid-request: expected, never worth more than DEBUG. */
public final class Disconnects {

	private Disconnects() {
	}

	/** Whether {@code error}, or one of its causes, means the client disconnected or the work was cancelled. */
	public static boolean isDisconnect(Throwable error) {
		for (Throwable current = error; current != null; current = (current.getCause() != current) ? current.getCause() : null) {
			// graphql-java aborts the fields still resolving once the client's execution is cancelled.
			if (current instanceof CancellationException || current instanceof ClosedChannelException
					|| current instanceof graphql.execution.AbortExecutionException
					|| current instanceof reactor.netty.channel.AbortedException
					// A client that stopped sending midway, past exogate.http.read-timeout.
					|| current instanceof io.netty.handler.timeout.ReadTimeoutException
					// WebClient, reading an Exotel answer whose request was cancelled when its client left.
					|| (current instanceof IllegalStateException state && state.getMessage() != null
							&& state.getMessage().contains("released already due to cancellation"))
					|| (current instanceof IOException io && io.getMessage() != null
							&& (io.getMessage().contains("Connection reset") || io.getMessage().contains("Broken pipe")))) {
				return true;
			}
		}
		return false;
	}

}
