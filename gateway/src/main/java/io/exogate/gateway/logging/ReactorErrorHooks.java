package io.exogate.gateway.logging;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Hooks;

/**
 * Errors that reach Reactor after their subscriber left (a client gone, a deadline passed) are
 * logged here instead of Reactor's default ERROR with a stack trace: at DEBUG when they are a
 * disconnect or cancellation, else one WARN per minute per kind, naming the kind only.
 */
@Component
public class ReactorErrorHooks implements InitializingBean, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ReactorErrorHooks.class);

	private final LogLimiter limiter = new LogLimiter(Duration.ofMinutes(1));

	@Override
	public void afterPropertiesSet() {
		Hooks.onErrorDropped(this::dropped);
	}

	@Override
	public void destroy() {
		Hooks.resetOnErrorDropped();
	}

	void dropped(Throwable error) {
		if (Disconnects.isDisconnect(error) || error instanceof io.exogate.model.error.ExogateException) {
			logger.debug("A late failure after its request was gone: {}", error.toString());
			return;
		}
		long suppressed = this.limiter.tryAcquire(error.getClass().getName());
		if (suppressed >= 0) {
			logger.warn("A failure arrived after its request was gone ({}; {} more like it since the last report)",
					error.getClass().getSimpleName(), suppressed);
		}
		else {
			logger.debug("A failure arrived after its request was gone", error);
		}
	}

}
