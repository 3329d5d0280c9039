package io.exogate.exotel.test;

import io.exogate.exotel.AdapterMetrics;
import io.exogate.exotel.ExotelCallSource;
import io.exogate.exotel.ExotelConnections;
import io.exogate.exotel.ExotelProperties;
import io.exogate.exotel.RequestBudget;
import io.exogate.exotel.v1.V1Client;
import io.exogate.exotel.v3.V3Client;
import io.exogate.exotel.v4.V4Client;
import io.exogate.model.call.Call;
import io.exogate.model.call.CallPage;
import io.exogate.model.call.CallQuery;
import io.exogate.model.call.PageRequest;
import io.exogate.sandbox.Sandbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Adapter wiring pointed at a sandbox, as the gateway's demo mode does it. */
public final class SandboxAccounts implements AutoCloseable {

	public static final String ACCOUNT = "exogate-demo";

	public final ExotelProperties properties;

	public final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	public final ExotelConnections connections;

	public final V1Client v1;

	public final V3Client v3;

	public final V4Client v4;

	public final ExotelCallSource source;

	public SandboxAccounts(Sandbox sandbox, Clock clock, int requestsPerMinute, ExotelProperties.Budget budget,
			java.util.function.Function<ExotelProperties, RequestBudget> budgetFactory) {
		this.properties = properties(sandbox.baseUrl(), requestsPerMinute, budget);
		AdapterMetrics metrics = new AdapterMetrics(this.registry);
		RequestBudget requestBudget = (budgetFactory != null) ? budgetFactory.apply(this.properties)
				: RequestBudget.inProcess(this.properties, metrics);
		this.connections = new ExotelConnections(this.properties, requestBudget, metrics);
		this.v1 = new V1Client(this.connections, clock);
		this.v3 = new V3Client(this.connections, clock);
		this.v4 = new V4Client(this.connections, clock);
		this.source = new ExotelCallSource(this.v1, this.v3, this.v4);
	}

	public SandboxAccounts(Sandbox sandbox, Clock clock) {
		this(sandbox, clock, 100_000, null, null);
	}

	/** Every call of a v1 search of the demo account, page after page through its cursors, as a client pages. */
	public Flux<Call> everyCall(CallQuery query) {
		return this.v1.search(ACCOUNT, query, PageRequest.first(PageRequest.MAX_SIZE))
			.expand((page) -> page.hasNext()
					? this.v1.search(ACCOUNT, query, PageRequest.after(PageRequest.MAX_SIZE, page.nextCursor())) : Mono.empty())
			.concatMapIterable(CallPage::calls);
	}

	/** The demo account pointed at {@code baseUrl} for every version. */
	public static ExotelProperties properties(String baseUrl, int requestsPerMinute, ExotelProperties.Budget budget) {
		URI base = URI.create(baseUrl);
		return new ExotelProperties(List.of(new ExotelProperties.Account(ACCOUNT, null, "demo-key", "demo-token", "demo-v4-token",
				new ExotelProperties.BaseUrls(base, base, base), requestsPerMinute, null, null, null)), null,
				new ExotelProperties.Resilience(3, java.time.Duration.ofMillis(50), null, null, null, null), budget, null, null);
	}

	@Override
	public void close() throws Exception {
		this.connections.close();
	}

}
