package io.exogate.sandbox;

/** Placeholder entry point, replaced by the sandbox server. */
public final class SandboxMain {

	private SandboxMain() {
	}

	public static void main(String[] args) {
	}

}
