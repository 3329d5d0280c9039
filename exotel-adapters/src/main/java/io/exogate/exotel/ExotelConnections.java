package io.exogate.exotel;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.error.NotFoundException;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Every configured account's {@link Upstream} per API version, built once at start on one
 * connection pool. v1 and v3 authenticate with HTTP Basic (API key and token), v4 with the bearer
 * session token; credentials live in default headers and are never logged. The clients share its
 * {@link PhoneNumbers}, reading numbers in the configured default region.
 */
public final class ExotelConnections implements AutoCloseable {

	private final ExotelProperties properties;

	private final ConnectionProvider pool;

	private final Map<String, Map<ApiVersion, Upstream>> upstreams = new LinkedHashMap<>();

	private final RequestBudget budget;

	private final PhoneNumbers phoneNumbers;

	public ExotelConnections(ExotelProperties properties, RequestBudget budget, AdapterMetrics metrics) {
		this.properties = properties;
		this.budget = budget;
		this.phoneNumbers = new PhoneNumbers(properties.defaultRegion());
		ExotelProperties.Pool poolSettings = properties.pool();
		this.pool = ConnectionProvider.builder("exotel")
			.maxConnections(poolSettings.maxConnections())
			.pendingAcquireTimeout(poolSettings.pendingAcquireTimeout())
			.pendingAcquireMaxCount(poolSettings.pendingAcquireMaxCount())
			.maxIdleTime(poolSettings.maxIdleTime())
			.build();
		for (ExotelProperties.Account account : properties.accounts()) {
			Map<ApiVersion, Upstream> byVersion = new EnumMap<>(ApiVersion.class);
			HttpClient http = HttpClient.create(this.pool)
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) account.timeouts().connect().toMillis())
				.responseTimeout(account.timeouts().response());
			for (ApiVersion version : ApiVersion.values()) {
				WebClient client = WebClient.builder()
					.clientConnector(new ReactorClientHttpConnector(http))
					.defaultHeaders((headers) -> authenticate(headers, account, version))
					.build();
				Duration timeout = account.timeouts().response().plusSeconds(1);
				byVersion.put(version, new Upstream(account.sid(), version, account.baseUrl(version), client, budget, metrics,
						properties.resilience(), timeout));
			}
			this.upstreams.put(account.sid(), byVersion);
		}
	}

	/** The configured properties. */
	public ExotelProperties properties() {
		return this.properties;
	}

	/** Phone numbers read in the configured default region. */
	public PhoneNumbers phoneNumbers() {
		return this.phoneNumbers;
	}

	/** The configured account SIDs, in configuration order. */
	public List<String> accountSids() {
		return List.copyOf(this.upstreams.keySet());
	}

	/** The account's settings; {@link NotFoundException} when it is not configured. */
	public ExotelProperties.Account account(String accountSid) {
		ExotelProperties.Account account = this.properties.account(accountSid);
		if (account == null) {
			throw new NotFoundException("No Exotel account '" + accountSid + "' is configured");
		}
		return account;
	}

	/** The account's connection to one version; {@link NotFoundException} when the account is not configured. */
	public Upstream upstream(String accountSid, ApiVersion version) {
		Map<ApiVersion, Upstream> byVersion = this.upstreams.get(accountSid);
		if (byVersion == null) {
			throw new NotFoundException("No Exotel account '" + accountSid + "' is configured");
		}
		return byVersion.get(version);
	}

	/** Every connection, for health reporting. */
	public Collection<Upstream> all() {
		return this.upstreams.values().stream().flatMap((byVersion) -> byVersion.values().stream()).toList();
	}

	@Override
	public void close() throws Exception {
		this.pool.dispose();
		this.budget.close();
	}

	private static void authenticate(HttpHeaders headers, ExotelProperties.Account account, ApiVersion version) {
		if (version == ApiVersion.V4) {
			headers.setBearerAuth(account.v4Token());
		}
		else {
			headers.setBasicAuth(account.apiKey(), account.apiToken(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

}
