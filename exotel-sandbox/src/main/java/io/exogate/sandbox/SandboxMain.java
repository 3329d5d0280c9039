package io.exogate.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the sandbox standalone: {@code java -jar exotel-sandbox.jar --server.port=8090}. Options
 * are listed in the README; unknown options are refused.
 */
public final class SandboxMain {

	private SandboxMain() {
	}

	public static void main(String[] args) {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", "io/exogate/sandbox/logback-sandbox.xml");
		}
		SandboxSettings settings;
		try {
			settings = parse(args);
		}
		catch (IllegalArgumentException ex) {
			org.slf4j.LoggerFactory.getLogger(SandboxMain.class).error("exotel-sandbox: {}", ex.getMessage());
			System.exit(2);
			return;
		}
		Sandbox sandbox = Sandbox.start(settings);
		Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
		sandbox.awaitClose();
	}

	static SandboxSettings parse(String[] args) {
		SandboxSettings.Builder builder = SandboxSettings.defaults().toBuilder().port(8090);
		List<SandboxAccount> accounts = new ArrayList<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Options look like --name=value, got '" + arg + "'");
			}
			String name = arg.substring(2, arg.indexOf('='));
			String value = arg.substring(arg.indexOf('=') + 1);
			switch (name) {
				case "server.port" -> builder.port(Integer.parseInt(value));
				case "server.address" -> builder.host(value);
				case "sandbox.seed" -> builder.seed(Long.parseLong(value));
				case "sandbox.calls-per-account" -> builder.callsPerAccount(Integer.parseInt(value));
				case "sandbox.history-days" -> builder.history(Duration.ofDays(Long.parseLong(value)));
				case "sandbox.live-call-interval-seconds" -> builder.liveCallInterval(Duration.ofSeconds(Long.parseLong(value)));
				case "sandbox.wrap-up-seconds" -> builder.wrapUp(Duration.ofSeconds(Long.parseLong(value)));
				case "sandbox.processing-delay-seconds" -> builder.processingDelay(Duration.ofSeconds(Long.parseLong(value)));
				case "sandbox.signed-url-lifetime-seconds" -> builder.signedUrlLifetime(Duration.ofSeconds(Long.parseLong(value)));
				case "sandbox.rate-limit-per-minute" -> builder.rateLimitPerMinute(Integer.parseInt(value));
				case "sandbox.admin-enabled" -> builder.adminEnabled(Boolean.parseBoolean(value));
				case "sandbox.export-delay-seconds" -> builder.exportDelay(Duration.ofSeconds(Long.parseLong(value)));
				case "sandbox.status-callback-url" -> builder.statusCallbackUrl(URI.create(value));
				case "sandbox.signing-key" -> builder.signingKey(value);
				case "sandbox.private-recording-urls" -> builder.privateRecordingUrls(Boolean.parseBoolean(value));
				case "sandbox.media-base-url" -> builder.mediaBaseUrl(URI.create(value));
				case "sandbox.account" -> accounts.add(SandboxAccount.parse(value));
				default -> throw new IllegalArgumentException("Unknown option --" + name);
			}
		}
		if (!accounts.isEmpty()) {
			builder.accounts(accounts);
		}
		return builder.build();
	}

}
