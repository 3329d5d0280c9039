package io.exogate.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/** Recording exports: accepted at once, announced to their callback URL when the archive is ready. */
final class Exports {

	private static final Logger logger = LoggerFactory.getLogger(Exports.class);

	private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);

	private final SandboxContext context;

	private final HttpClient client = HttpClient.create().responseTimeout(CALLBACK_TIMEOUT);

	private final Map<String, Export> exports = new ConcurrentHashMap<>();

	private final Disposable.Composite pending = Disposables.composite();

	Exports(SandboxContext context) {
		this.context = context;
	}

	/** One requested export. */
	record Export(String id, String accountSid, Instant start, Instant end, String format, URI callbackUrl) {
	}

	void start(Export export) {
		this.exports.put(export.accountSid() + "/" + export.id(), export);
		Disposable callback = Mono.delay(this.context.settings.exportDelay())
			.then(Mono.defer(() -> sendCallback(export)))
			.subscribe(null, (error) -> logger.warn("Export {} callback to {} failed: {}", export.id(),
					export.callbackUrl().getHost(), error.toString()));
		this.pending.add(callback);
	}

	/** The export, or {@code null}. */
	Export find(String accountSid, String exportId) {
		return this.exports.get(accountSid + "/" + exportId);
	}

	/** The ZIP of every available recording in the export's window. */
	byte[] archive(Export export) {
		Instant now = this.context.now();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (SandboxCall call : this.context.store.calls(export.accountSid(), now)) {
				if (export.start().isAfter(call.createdAt()) || !export.end().isAfter(call.createdAt())
						|| !"available".equals(this.context.recordingState(call, now))) {
					continue;
				}
				zip.putNextEntry(new ZipEntry(call.sid() + "." + export.format()));
				zip.write(export.format().equals("mp3") ? Media.mp3() : Media.wavBytes(call, "single"));
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** How many recordings the export holds now. */
	long count(Export export) {
		Instant now = this.context.now();
		return this.context.store.calls(export.accountSid(), now)
			.stream()
			.filter((call) -> !export.start().isAfter(call.createdAt()) && export.end().isAfter(call.createdAt())
					&& "available".equals(this.context.recordingState(call, now)))
			.count();
	}

	void close() {
		this.pending.dispose();
	}

	private Mono<Void> sendCallback(Export export) {
		Instant expiresAt = this.context.signedUrlExpiry(this.context.now());
		String path = "/exports/" + export.accountSid() + "/" + export.id() + ".zip";
		String downloadUrl = this.context.baseUrl() + path + "?" + this.context.signer.sign(path, "single", expiresAt);
		String body = Json.write(Json.object("export_id", export.id(), "status", "completed", "download_url",
				downloadUrl, "expires_at", ExotelTime.v4(expiresAt), "recording_count", count(export), "format",
				export.format(), "start_date", ExotelTime.v4(export.start()), "end_date", ExotelTime.v4(export.end())));
		return Mono.defer(() -> this.client.headers((headers) -> headers.set("content-type", "application/json"))
			.post()
			.uri(export.callbackUrl().toString())
			.send(reactor.netty.ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> (response.status().code() < 300) ? content.then()
					: Mono.error(new IllegalStateException("callback answered " + response.status().code()))))
			.timeout(CALLBACK_TIMEOUT)
			.retryWhen(Retry.backoff(2, Duration.ofMillis(500)))
			.subscribeOn(Schedulers.boundedElastic())
			.then();
	}

}
