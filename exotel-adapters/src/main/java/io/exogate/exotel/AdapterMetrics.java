package io.exogate.exotel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Metrics per account and API version: {@code exotel.requests} (by outcome), {@code exotel.request.latency},
 * {@code exotel.retries}, {@code exotel.rate_limited} (429s from Exotel), {@code exotel.budget.waits}
 * and {@code exotel.budget.rejected}.
 */
public final class AdapterMetrics {

	private final MeterRegistry registry;

	public AdapterMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void request(String account, String version, String endpoint, String outcome, Duration latency) {
		this.registry.counter("exotel.requests", "account", account, "version", version, "endpoint", endpoint, "outcome", outcome)
			.increment();
		Timer.builder("exotel.request.latency")
			.tags("account", account, "version", version, "endpoint", endpoint)
			.register(this.registry)
			.record(latency);
	}

	void retry(String account, String version) {
		this.registry.counter("exotel.retries", "account", account, "version", version).increment();
	}

	void rateLimited(String account, String version) {
		this.registry.counter("exotel.rate_limited", "account", account, "version", version).increment();
	}

	void budgetWaited(String account, String version, Duration waited) {
		Timer.builder("exotel.budget.waits").tags("account", account, "version", version).register(this.registry).record(waited);
	}

	void budgetRejected(String account, String version) {
		this.registry.counter("exotel.budget.rejected", "account", account, "version", version).increment();
	}

}
