package io.exogate.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The fault injected into each dialect at run time; none at start. */
final class Faults {

	private final Map<Dialect, AtomicReference<Fault>> faults = new EnumMap<>(Dialect.class);

	Faults() {
		for (Dialect dialect : Dialect.values()) {
			this.faults.put(dialect, new AtomicReference<>(Fault.NONE));
		}
	}

	Fault get(Dialect dialect) {
		return this.faults.get(dialect).get();
	}

	void set(Dialect dialect, Fault fault) {
		this.faults.get(dialect).set(fault);
	}

	void clear() {
		this.faults.values().forEach((fault) -> fault.set(Fault.NONE));
	}

}
