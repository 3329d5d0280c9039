package io.exogate.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallDirection;
import io.exogate.model.call.CallStatus;
import io.exogate.model.port.CallSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.DefaultBatchLoaderRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** One list's other-version views: looked up once for everyone who resolves the list, again once the ttl has passed. */
class SharedViewsTest {

	static final List<String> SIDS = List.of("c1", "c2", "c3");

	final CallSource calls = mock(CallSource.class);

	final AtomicInteger v4 = new AtomicInteger();

	final AtomicInteger v1 = new AtomicInteger();

	final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

	SharedViews views() {
		when(this.calls.call(eq("acc-1"), anyString(), eq(ApiVersion.V4))).thenAnswer((invocation) -> Mono.fromCallable(() -> {
			this.v4.incrementAndGet();
			return call(invocation.getArgument(1), ApiVersion.V4);
		}));
		when(this.calls.calls(eq("acc-1"), anyCollection())).thenAnswer((invocation) -> Flux.defer(() -> {
			this.v1.incrementAndGet();
			java.util.Collection<String> sids = invocation.getArgument(1);
			// v1 does not know c3 yet.
			return Flux.fromIterable(sids).filter((sid) -> !sid.equals("c3")).map((sid) -> call(sid, ApiVersion.V1));
		}));
		List<Call> live = SIDS.stream().map((sid) -> call(sid, ApiVersion.V3)).toList();
		return new SharedViews("acc-1", live, new CallViews(this.calls, new DefaultBatchLoaderRegistry()), Duration.ofSeconds(5),
				Duration.ofSeconds(10), this.clock);
	}

	@Test
	void twentyResolversOfTheListShareOneLookupPerVersion() throws Exception {
		SharedViews views = views();
		List<CompletableFuture<Call>> all = new ArrayList<>();
		IntStream.range(0, 20).forEach((subscriber) -> SIDS.forEach((sid) -> {
			all.add(views.view(sid, ApiVersion.V4));
			all.add(views.view(sid, ApiVersion.V1));
		}));
		CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(this.v4).as("one per call, not one per call per subscriber").hasValue(3);
		assertThat(this.v1).as("one batch for the list").hasValue(1);
		assertThat(views.view("c2", ApiVersion.V4).get(10, TimeUnit.SECONDS).sources()).containsExactly(ApiVersion.V4);
		assertThat(views.view("c3", ApiVersion.V1).get(10, TimeUnit.SECONDS)).as("a call v1 does not know").isNull();
		assertThat(this.v4).hasValue(3);
	}

	@Test
	void viewsServeForTheTtlThenAreAskedAgain() throws Exception {
		SharedViews views = views();
		views.view("c1", ApiVersion.V4).get(10, TimeUnit.SECONDS);
		this.clock.advanceTimeBy(Duration.ofMillis(4999));
		views.view("c1", ApiVersion.V4).get(10, TimeUnit.SECONDS);
		assertThat(this.v4).hasValue(3);
		this.clock.advanceTimeBy(Duration.ofMillis(1));
		views.view("c1", ApiVersion.V4).get(10, TimeUnit.SECONDS);
		assertThat(this.v4).hasValue(6);
	}

	static Call call(String sid, ApiVersion source) {
		return Call.builder(sid).accountSid("acc-1").status(CallStatus.IN_PROGRESS, "in-progress").direction(CallDirection.INBOUND, "inbound")
			.sources(java.util.Set.of(source)).build();
	}

}
