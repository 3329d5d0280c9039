package io.exogate.gateway.security;

import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Who may call the gateway ({@code exogate.security.*}): the tenants with their accounts, API key
 * hashes, JWT claim and limits; whether introspection is served; the dashboard origins CORS allows.
 *
 * @param tenants the tenants; in demo mode, when none is configured, the tenant {@code demo}
 * @param introspection whether schema introspection is answered; {@code null} means on in demo mode only
 * @param corsAllowedOrigins the browser origins allowed to call the endpoint (none by default)
 * @param apiKeyHeader the header carrying an API key
 */
@ConfigurationProperties("exogate.security")
public record SecurityProperties(List<TenantProperties> tenants, Boolean introspection, List<String> corsAllowedOrigins,
		String apiKeyHeader) {

	public SecurityProperties {
		tenants = (tenants != null) ? List.copyOf(tenants) : List.of();
		corsAllowedOrigins = (corsAllowedOrigins != null) ? List.copyOf(corsAllowedOrigins) : List.of();
		apiKeyHeader = (apiKeyHeader != null && !apiKeyHeader.isBlank()) ? apiKeyHeader : "X-API-Key";
	}

	/**
	 * One tenant as configured.
	 *
	 * @param id the tenant's name, used in audit events and cache keys
	 * @param accounts the Exotel account SIDs it may see
	 * @param defaultAccount the account used when a request names none; the only one when there is one
	 * @param apiKeys its clients' API keys, each as {@code sha256:<64 hex digits>}
	 * @param jwt the claim that names a token's tenant
	 * @param requestsPerMinute the requests one client (key or token subject) may make per minute
	 * @param maxCost the most Exotel requests one operation may cost; the gateway's limit when absent
	 * @param exportCallbacks the URL prefixes an export's callback must start with
	 * @param allowPrivateCallbacks whether callbacks may point at loopback, private or link-local addresses
	 * @param limits the tenant's own request limits, each no looser than the gateway's; the gateway's when absent
	 */
	public record TenantProperties(String id, List<String> accounts, String defaultAccount, List<String> apiKeys,
			JwtClaim jwt, Integer requestsPerMinute, Integer maxCost, List<String> exportCallbacks,
			Boolean allowPrivateCallbacks, Limits limits) {

		/** The constructor configuration binds. */
		@ConstructorBinding
		public TenantProperties {
		}

		/** The same tenant without limits of its own. */
		public TenantProperties(String id, List<String> accounts, String defaultAccount, List<String> apiKeys, JwtClaim jwt,
				Integer requestsPerMinute, Integer maxCost, List<String> exportCallbacks, Boolean allowPrivateCallbacks) {
			this(id, accounts, defaultAccount, apiKeys, jwt, requestsPerMinute, maxCost, exportCallbacks, allowPrivateCallbacks,
					null);
		}

	}

	/**
	 * A tenant's request limits ({@code exogate.security.tenants[i].limits.*}); each left out is the gateway's.
	 *
	 * @param maxBodySize the largest request body, at most {@code exogate.http.max-body-size}
	 * @param maxAliases the most aliased fields an operation may hold
	 * @param maxDepth the most nested field levels
	 * @param maxFields the most fields an operation may expand to
	 * @param deadline the time every upstream attempt, retry and wait of a request ends by
	 */
	public record Limits(DataSize maxBodySize, Integer maxAliases, Integer maxDepth, Integer maxFields, Duration deadline) {

		/** No limit of the tenant's own. */
		public static final Limits NONE = new Limits(null, null, null, null, null);

	}

	/** A token belongs to the tenant when its {@code claim} holds {@code value} (or, for a list claim, contains it). */
	public record JwtClaim(String claim, String value) {
	}

}
