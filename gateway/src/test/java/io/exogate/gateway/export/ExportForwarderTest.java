package io.exogate.gateway.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.exogate.gateway.export.ExportForwarder.Outcome;
import io.exogate.gateway.export.ExportState.Delivery;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.ExportCallbacks;
import io.exogate.gateway.security.SecurityProperties.TenantProperties;
import io.exogate.gateway.security.Tenants;
import io.exogate.model.recording.ExportStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Forwarding an export's result to the tenant's callback, against a real local receiver: retried on
 * failure, never following a redirect, timing out a silent receiver, and checked again against the
 * tenant's allow-list before anything is sent.
 */
class ExportForwarderTest {

	private static final String KEY_HASH = "sha256:" + "a".repeat(64);

	private final List<String> paths = new CopyOnWriteArrayList<>();

	private static final byte[] CHUNK = new byte[64 * 1024];

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private final AtomicLong produced = new AtomicLong();

	private final AtomicBoolean endlessCancelled = new AtomicBoolean();

	private final DisposableServer receiver = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes
			.post("/hooks/flaky", (request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
				this.paths.add(request.uri());
				return (this.failuresLeft.getAndDecrement() > 0) ? response.status(503).send().then()
						: response.status(204).send().then();
			}))
			.post("/hooks/redirect", (request, response) -> {
				this.paths.add(request.uri());
				return response.status(307).header("Location", "/hooks/elsewhere").send();
			})
			.post("/hooks/elsewhere", (request, response) -> {
				this.paths.add(request.uri());
				return response.status(204).send();
			})
			.post("/hooks/endless", (request, response) -> {
				this.paths.add(request.uri());
				return response.status(200).header("Content-Type", "application/octet-stream").send(Flux.<ByteBuf>generate((sink) -> {
					this.produced.addAndGet(CHUNK.length);
					sink.next(Unpooled.wrappedBuffer(CHUNK));
				}).doOnCancel(() -> this.endlessCancelled.set(true)), (buffer) -> true);
			})
			.post("/hooks/silent", (request, response) -> {
				this.paths.add(request.uri());
				return Mono.never();
			}))
		.bindNow();

	@AfterEach
	void stop() {
		this.receiver.disposeNow();
	}

	@Test
	void aFailingReceiverIsRetriedWithBackoffUntilItAnswers2xx() {
		this.failuresLeft.set(2);
		Outcome outcome = forwarder(allowed()).forward(state("/hooks/flaky")).block(Duration.ofSeconds(20));
		assertThat(outcome).isEqualTo(new Outcome(Delivery.DELIVERED, 3, null));
		assertThat(this.paths).containsExactly("/hooks/flaky", "/hooks/flaky", "/hooks/flaky");
	}

	@Test
	void aRedirectIsNeverFollowed() {
		Outcome outcome = forwarder(allowed()).forward(state("/hooks/redirect")).block(Duration.ofSeconds(20));
		assertThat(outcome).isEqualTo(new Outcome(Delivery.FAILED, 3, "no 2xx answer after 3 attempts"));
		assertThat(this.paths).containsOnly("/hooks/redirect");
	}

	@Test
	void aReceiverStreamingAnEndlessBodyIsDeliveredOnItsStatusWithoutReadingTheBody() {
		Outcome outcome = forwarder(allowed(), Duration.ofSeconds(5)).forward(state("/hooks/endless")).block(Duration.ofSeconds(20));
		assertThat(outcome).isEqualTo(new Outcome(Delivery.DELIVERED, 1, null));
		assertThat(this.paths).containsExactly("/hooks/endless");
		await().atMost(Duration.ofSeconds(10)).untilTrue(this.endlessCancelled);
		assertThat(this.produced.get()).as("what the receiver produced before its connection was closed: socket buffers, not the body")
			.isLessThan(16L * 1024 * 1024);
	}

	@Test
	void aSilentReceiverTimesOut() {
		Outcome outcome = forwarder(allowed()).forward(state("/hooks/silent")).block(Duration.ofSeconds(20));
		assertThat(outcome.delivery()).isEqualTo(Delivery.FAILED);
		assertThat(outcome.attempts()).isEqualTo(3);
	}

	@Test
	void aCallbackNoLongerAllowedIsRefusedWithNothingSent() {
		Tenants narrowed = tenants(List.of("http://127.0.0.1:" + this.receiver.port() + "/other/"), true);
		assertThat(forwarder(narrowed).forward(state("/hooks/flaky")).block(Duration.ofSeconds(20)))
			.satisfies((outcome) -> assertThat(outcome.delivery()).isEqualTo(Delivery.REFUSED))
			.satisfies((outcome) -> assertThat(outcome.detail()).contains("is not under an allowed prefix").doesNotContain("?"));
		Tenants noPrivate = tenants(List.of("http://127.0.0.1:" + this.receiver.port() + "/hooks/"), false);
		assertThat(forwarder(noPrivate).forward(state("/hooks/flaky")).block(Duration.ofSeconds(20)))
			.satisfies((outcome) -> assertThat(outcome.delivery()).isEqualTo(Delivery.REFUSED))
			.satisfies((outcome) -> assertThat(outcome.attempts()).isZero())
			.satisfies((outcome) -> assertThat(outcome.detail()).contains("loopback"));
		assertThat(this.paths).isEmpty();
	}

	@Test
	void aNameResolvingToLoopbackIsRefusedAtDeliveryWithNothingSent() {
		ExportCallbacks loopback = new ExportCallbacks((host) -> Mono.just(List.of(InetAddress.getLoopbackAddress())));
		Outcome outcome = forwarder(loopback, tenants(List.of(named("/hooks/")), false)).forward(namedState("/hooks/flaky"))
			.block(Duration.ofSeconds(20));
		assertThat(outcome.delivery()).isEqualTo(Delivery.REFUSED);
		assertThat(outcome.attempts()).isZero();
		assertThat(outcome.detail()).contains("resolves to a loopback address");
		assertThat(this.paths).isEmpty();
	}

	@Test
	void withPrivateCallbacksAllowedTheConnectionGoesToTheAddressChecked() {
		// The name is nowhere in DNS: only the address the check resolved it to can have been connected to.
		ExportCallbacks loopback = new ExportCallbacks((host) -> Mono.just(List.of(InetAddress.getLoopbackAddress())));
		Outcome outcome = forwarder(loopback, tenants(List.of(named("/hooks/")), true)).forward(namedState("/hooks/flaky"))
			.block(Duration.ofSeconds(20));
		assertThat(outcome).isEqualTo(new Outcome(Delivery.DELIVERED, 1, null));
		assertThat(this.paths).containsExactly("/hooks/flaky");
	}

	@Test
	void aNameThatDoesNotResolveIsRefusedAtDeliveryWithNothingSent() {
		ExportCallbacks unresolvable = new ExportCallbacks((host) -> Mono.empty());
		for (boolean allowPrivate : List.of(false, true)) {
			Outcome outcome = forwarder(unresolvable, tenants(List.of(named("/hooks/")), allowPrivate))
				.forward(namedState("/hooks/flaky"))
				.block(Duration.ofSeconds(20));
			assertThat(outcome.delivery()).as("allow-private " + allowPrivate).isEqualTo(Delivery.REFUSED);
			assertThat(outcome.attempts()).isZero();
			assertThat(outcome.detail()).contains("could not be resolved");
		}
		assertThat(this.paths).isEmpty();
	}

	@Test
	void nothingIsSentBeforeSubscription() {
		forwarder(allowed()).forward(state("/hooks/flaky"));
		assertThat(this.paths).isEmpty();
	}

	private Tenants allowed() {
		return tenants(List.of("http://127.0.0.1:" + this.receiver.port() + "/hooks/"), true);
	}

	private static Tenants tenants(List<String> callbacks, boolean allowPrivate) {
		return Tenants.of(List.of(new TenantProperties("acme", List.of("acme-1"), "acme-1", List.of(KEY_HASH), null, null, null,
				callbacks, allowPrivate)), List.of("acme-1"), false);
	}

	private static ExportForwarder forwarder(Tenants tenants) {
		return forwarder(tenants, Duration.ofMillis(500));
	}

	private static ExportForwarder forwarder(ExportCallbacks callbacks, Tenants tenants) {
		return new ExportForwarder(callbacks, tenants, new Audit(Clock.systemUTC()), 3, Duration.ofMillis(50), Duration.ofMillis(500));
	}

	/** A URL on a name that only the test's resolver knows, on the receiver's port. */
	private String named(String path) {
		return "http://hooks.acme.example:" + this.receiver.port() + path;
	}

	private ExportState namedState(String path) {
		Instant now = Instant.parse("2026-11-23T10:00:00Z");
		return new ExportState("acme", "exp_1", "acme-1", ExportStatus.READY, null, named(path), now, now,
				"https://x.example/a.zip", null, 3, Delivery.PENDING, 0, null);
	}

	private static ExportForwarder forwarder(Tenants tenants, Duration timeout) {
		return new ExportForwarder(new ExportCallbacks(), tenants, new Audit(Clock.systemUTC()), 3, Duration.ofMillis(50), timeout);
	}

	private ExportState state(String path) {
		Instant now = Instant.parse("2026-11-23T10:00:00Z");
		return new ExportState("acme", "exp_1", "acme-1", ExportStatus.READY, null, "http://127.0.0.1:" + this.receiver.port() + path,
				now, now, "https://x.example/a.zip", null, 3, Delivery.PENDING, 0, null);
	}

}
