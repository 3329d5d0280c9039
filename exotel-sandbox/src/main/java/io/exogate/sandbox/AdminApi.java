package io.exogate.sandbox;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The admin API under {@code /__sandbox/}: counters, reset, and the faults and settings changed at run time. */
final class AdminApi {

	private final SandboxContext context;

	private final Stats stats;

	private final Runnable reset;

	AdminApi(SandboxContext context, Stats stats, Runnable reset) {
		this.context = context;
		this.stats = stats;
		this.reset = reset;
	}

	/** {@code GET /__sandbox/stats}. */
	SandboxResponse stats(SandboxRequest request) {
		return SandboxResponse.json(200, Json.write(this.stats.snapshot()));
	}

	/** {@code POST /__sandbox/reset}: zeroes the counters and refills every rate-limit bucket. */
	SandboxResponse reset(SandboxRequest request) {
		this.reset.run();
		return SandboxResponse.json(200, Json.write(this.stats.snapshot()));
	}

	/** {@code GET /__sandbox/faults}. */
	SandboxResponse faults(SandboxRequest request) {
		return SandboxResponse.json(200, Json.write(settingsView()));
	}

	/** {@code POST /__sandbox/faults}: all or nothing, 400 on any bad value. */
	SandboxResponse changeFaults(SandboxRequest request) {
		try {
			applyFaults(request.body());
		}
		catch (IllegalArgumentException ex) {
			return SandboxResponse.json(400, Json.write(Json.object("message", ex.getMessage())));
		}
		return SandboxResponse.json(200, Json.write(settingsView()));
	}

	/** {@code DELETE /__sandbox/faults}: clears the dialects' faults. */
	SandboxResponse clearFaults(SandboxRequest request) {
		this.context.faults.clear();
		return SandboxResponse.json(200, Json.write(settingsView()));
	}

	private Map<String, Object> settingsView() {
		Map<String, Object> view = new LinkedHashMap<>();
		for (Dialect dialect : Dialect.values()) {
			Fault fault = this.context.faults.get(dialect);
			view.put(dialect.key(), Json.object(
					"latencyMs", fault.latency().toMillis(),
					"errorRate", fault.errorRate(),
					"forcedStatus", fault.forcedStatus(),
					"rateLimitPerMinute", fault.rateLimitPerMinute()));
		}
		view.put("rateLimitPerMinute", this.context.rateLimitPerMinute.get());
		view.put("signedUrlLifetimeSeconds", this.context.signedUrlLifetime.get().getSeconds());
		view.put("processingDelaySeconds", this.context.processingDelay.get().getSeconds());
		return view;
	}

	/** Applies a partial fault and settings update; validates everything before changing anything. */
	private void applyFaults(String body) {
		JsonNode root;
		try {
			root = Json.read(body.isBlank() ? "{}" : body);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The body must be a JSON object");
		}
		if (root == null || !root.isObject()) {
			throw new IllegalArgumentException("The body must be a JSON object");
		}
		Map<Dialect, Fault> newFaults = new EnumMap<>(Dialect.class);
		Integer newBudget = null;
		Duration newLifetime = null;
		Duration newDelay = null;
		for (String field : root.propertyNames()) {
			JsonNode value = root.get(field);
			switch (field) {
				case "v1", "v3", "v4" -> {
					Dialect dialect = Dialect.valueOf(field.toUpperCase(Locale.ROOT));
					newFaults.put(dialect, fault(this.context.faults.get(dialect), value, field));
				}
				case "rateLimitPerMinute" -> newBudget = positiveInt(value, field);
				case "signedUrlLifetimeSeconds" -> newLifetime = Duration.ofSeconds(positiveInt(value, field));
				case "processingDelaySeconds" -> newDelay = Duration.ofSeconds(notNegativeInt(value, field));
				default -> throw new IllegalArgumentException("Unknown setting '" + field + "'");
			}
		}
		newFaults.forEach(this.context.faults::set);
		if (newBudget != null) {
			this.context.rateLimitPerMinute.set(newBudget);
		}
		if (newLifetime != null) {
			this.context.signedUrlLifetime.set(newLifetime);
		}
		if (newDelay != null) {
			this.context.processingDelay.set(newDelay);
		}
	}

	private static Fault fault(Fault current, JsonNode node, String dialect) {
		if (!node.isObject()) {
			throw new IllegalArgumentException(dialect + " must be an object");
		}
		Duration latency = current.latency();
		double errorRate = current.errorRate();
		int forcedStatus = current.forcedStatus();
		int budget = current.rateLimitPerMinute();
		for (String field : node.propertyNames()) {
			JsonNode value = node.get(field);
			switch (field) {
				case "latencyMs" -> latency = Duration.ofMillis(notNegativeInt(value, dialect + "." + field));
				case "errorRate" -> {
					if (!value.isNumber()) {
						throw new IllegalArgumentException(dialect + ".errorRate must be a number");
					}
					errorRate = value.asDouble();
				}
				case "forcedStatus" -> forcedStatus = notNegativeInt(value, dialect + "." + field);
				case "rateLimitPerMinute" -> budget = notNegativeInt(value, dialect + "." + field);
				default -> throw new IllegalArgumentException("Unknown fault '" + dialect + "." + field + "'");
			}
		}
		return new Fault(latency, errorRate, forcedStatus, budget);
	}

	private static int positiveInt(JsonNode value, String name) {
		int number = notNegativeInt(value, name);
		if (number < 1) {
			throw new IllegalArgumentException(name + " must be at least 1");
		}
		return number;
	}

	private static int notNegativeInt(JsonNode value, String name) {
		if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
			throw new IllegalArgumentException(name + " must be a whole number, zero or more");
		}
		return value.asInt();
	}

}
