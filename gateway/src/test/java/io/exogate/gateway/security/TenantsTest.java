package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.exogate.gateway.security.SecurityProperties.JwtClaim;
import io.exogate.gateway.security.SecurityProperties.TenantProperties;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class TenantsTest {

	static final List<String> ACCOUNTS = List.of("acme-sid-1", "acme-sid-2", "globex-sid");

	static final String ACME_KEY = "acme-client-key-0001";

	static final String GLOBEX_KEY = "globex-client-key-0002";

	private final Logger logger = (Logger) LoggerFactory.getLogger(Tenants.class);

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	private Level level;

	@BeforeEach
	void capture() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.logged.start();
		this.logger.addAppender(this.logged);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.logged);
		this.logged.stop();
		this.logger.setLevel(this.level);
	}

	@Test
	void noTenantsOutsideDemoModeStopsTheStart() {
		assertThatIllegalStateException().isThrownBy(() -> Tenants.of(List.of(), ACCOUNTS, false))
			.withMessageStartingWith("exogate.security.tenants is empty: no client could call the gateway");
	}

	@Test
	void noTenantsInDemoModeIsTheDemoTenantOverEveryAccountWithTheDocumentedKey() {
		Tenants tenants = Tenants.of(List.of(), ACCOUNTS, true);
		assertThat(tenants.demo()).isTrue();
		assertThat(tenants.tenant(Tenants.DEMO_TENANT)).get().satisfies((tenant) -> {
			assertThat(tenant.accounts()).isEqualTo(ACCOUNTS);
			assertThat(tenant.defaultAccount()).isEqualTo("acme-sid-1");
		});
		assertThat(tenants.byApiKey(Tenants.DEMO_KEY)).get().extracting(Caller::tenant).isEqualTo(Tenants.DEMO_TENANT);
	}

	@Test
	void anAccountThatIsNotConfiguredStopsTheStart() {
		refused(List.of(acme().accounts(List.of("acme-sid-1", "nope")).build()),
				"exogate.security.tenants[0].accounts names nope, which is not a configured Exotel account");
		refused(List.of(acme().accounts(List.of()).defaultAccount(null).build()), "exogate.security.tenants[0].accounts is required");
	}

	@ParameterizedTest
	@ValueSource(strings = { "raw-client-key-pasted-9d2f", "sha256:0123", "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
			"sha256:zz9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a" })
	void aKeyThatIsNotAHashStopsTheStartWithoutShowingIt(String key) {
		String message = refused(List.of(acme().apiKeys(List.of(hash(ACME_KEY), key)).build()),
				"exogate.security.tenants[0].api-keys[1] is not a SHA-256 hash: write it as sha256:<64 hex digits>");
		assertThat(message).doesNotContain(key).doesNotContain(key.substring(key.indexOf(':') + 1));
	}

	@Test
	void oneHashInTwoTenantsStopsTheStart() {
		String shared = hash(ACME_KEY);
		refused(List.of(acme().build(), globex().apiKeys(List.of(shared.toUpperCase().replace("SHA256:", "sha256:"))).build()),
				"the API key hash key:" + shared.substring(7, 19) + " is configured twice (tenants acme and globex)");
	}

	@Test
	void aTenantWithNeitherKeysNorAClaimStopsTheStart() {
		refused(List.of(acme().apiKeys(null).build()),
				"exogate.security.tenants[0] has neither api-keys nor a jwt claim: none of its clients could call the gateway");
		refused(List.of(acme().apiKeys(List.of()).jwt(new JwtClaim("tenant", " ")).build()),
				"exogate.security.tenants[0].jwt needs both claim and value");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "-acme", "acme corp", "acme/1", "tenant:x" })
	void aBadIdStopsTheStart(String id) {
		refused(List.of(acme().id(id).build()),
				"exogate.security.tenants[0].id is required: letters, digits, '.', '_' or '-', at most 64");
	}

	@Test
	void aMissingOrRepeatedIdStopsTheStart() {
		refused(List.of(acme().id(null).build()), "exogate.security.tenants[0].id is required");
		refused(List.of(acme().id("a".repeat(65)).build()), "exogate.security.tenants[0].id is required");
		refused(List.of(acme().build(), acme().apiKeys(List.of(hash(GLOBEX_KEY))).build()),
				"exogate.security.tenants[1].id 'acme' is used twice");
	}

	@Test
	void aDefaultAccountOutsideTheTenantsAccountsStopsTheStart() {
		refused(List.of(acme().defaultAccount("globex-sid").build()),
				"exogate.security.tenants[0].default-account globex-sid is not one of its accounts");
	}

	@Test
	void limitsBelowOneStopTheStart() {
		refused(List.of(acme().requestsPerMinute(0).build()), "exogate.security.tenants[0].requests-per-minute must be at least 1");
		refused(List.of(acme().maxCost(0).build()), "exogate.security.tenants[0].max-cost must be at least 1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "hooks.acme.example/exotel", "/exports/done", "ftp://hooks.acme.example/", "https://hooks.acme.example/x?token=s3",
			"https://hooks.acme.example/x#frag", "https://user:pw@hooks.acme.example/", "https://hooks.acme.example:99999/",
			"https://hooks acme.example/", "https://127.1/", "https://hooks.acme.example/a/../../b", "   " })
	void aCallbackPrefixThatIsNotAnAbsoluteUrlWithoutQueryStopsTheStartWithoutShowingIt(String prefix) {
		String message = refused(List.of(globex().build(),
				acme().exportCallbacks(Arrays.asList("https://hooks.acme.example/", "https://b.acme.example/", prefix)).build()),
				"exogate.security.tenants[1].export-callbacks[2] ");
		assertThat(message).contains(": write an absolute http(s) URL without query, fragment or user information")
			.doesNotContain("export-callbacks[0]", "export-callbacks[1]");
		if (!prefix.isBlank()) {
			assertThat(message).doesNotContain(prefix);
		}
	}

	@Test
	void aMissingCallbackPrefixStopsTheStart() {
		refused(List.of(acme().exportCallbacks(Arrays.asList("https://hooks.acme.example/", null)).build()),
				"exogate.security.tenants[0].export-callbacks[1] is empty");
	}

	@Test
	void everyProblemIsNamedAtOnce() {
		refused(List.of(acme().requestsPerMinute(0).exportCallbacks(List.of("https://x.example/?a=b")).build(),
				globex().defaultAccount("acme-sid-1").build()),
				"exogate.security.tenants[0].requests-per-minute must be at least 1; exogate.security.tenants[0].export-callbacks[0]"
						+ " must not have a query (?…)");
		refused(List.of(acme().requestsPerMinute(0).build(), globex().defaultAccount("acme-sid-1").build()),
				"; exogate.security.tenants[1].default-account acme-sid-1 is not one of its accounts");
	}

	@Test
	void validCallbackPrefixesAreKept() {
		List<String> prefixes = List.of("https://hooks.acme.example/", "http://127.0.0.1:8080/exotel", "https://[2606:4700::1111]/x/");
		Tenants tenants = Tenants.of(List.of(acme().exportCallbacks(prefixes).build()), ACCOUNTS, false);
		assertThat(tenants.tenant("acme")).get().extracting(Tenants.Tenant::exportCallbacks).isEqualTo(prefixes);
	}

	@Test
	void twoTenantsOverOneAccountStartWithOneWarningNamingThem() {
		Tenants tenants = Tenants.of(List.of(acme().build(), globex().accounts(List.of("globex-sid", "acme-sid-1")).build(),
				tenant("initech").accounts(List.of("acme-sid-1")).apiKeys(List.of(hash("initech-client-key-03"))).build()), ACCOUNTS,
				false);
		assertThat(tenants.all()).hasSize(3);
		assertThat(this.logged.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("acme-sid-1 (tenants acme, globex, initech)")
				.contains("cached recordings are kept apart")
				.doesNotContain("acme-sid-2", "globex-sid", "sha256", hash(ACME_KEY).substring(7, 19), ACME_KEY);
		});
	}

	@Test
	void tenantsOverTheirOwnAccountsStartSilently() {
		Tenants.of(List.of(acme().build(), globex().build()), ACCOUNTS, false);
		assertThat(this.logged.list).isEmpty();
	}

	@Test
	void anApiKeyNamesItsTenantAndTheClientByTheHashsFirstTwelveHexDigits() {
		Tenants tenants = Tenants.of(List.of(acme().build(), globex().build()), ACCOUNTS, false);
		assertThat(tenants.byApiKey(ACME_KEY)).contains(new Caller("acme", "key:" + hash(ACME_KEY).substring(7, 19), "api-key"));
		assertThat(tenants.byApiKey(GLOBEX_KEY)).get().extracting(Caller::tenant).isEqualTo("globex");
		assertThat(tenants.byApiKey("not-" + ACME_KEY)).isEmpty();
		assertThat(tenants.byApiKey("")).isEmpty();
	}

	@Test
	void aTokenNamesTheOneTenantWhoseClaimItHolds() {
		Tenants tenants = Tenants.of(List.of(acme().jwt(new JwtClaim("tenant", "acme")).build(),
				globex().jwt(new JwtClaim("tenant", "globex")).build()), ACCOUNTS, false);
		assertThat(tenants.acceptsTokens()).isTrue();
		assertThat(tenants.byClaims(Map.of("tenant", "acme"), "user-42")).contains(new Caller("acme", "sub:user-42", "jwt"));
		assertThat(tenants.byClaims(Map.of("tenant", List.of("other", "globex")), "user-42")).as("a list claim containing the value")
			.get().extracting(Caller::tenant).isEqualTo("globex");
		assertThat(tenants.byClaims(Map.of("tenant", List.of("acme", "globex")), "user-42")).as("two tenants match: none").isEmpty();
		assertThat(tenants.byClaims(Map.of("tenant", "initech"), "user-42")).isEmpty();
		assertThat(tenants.byClaims(Map.of("other", "acme"), "user-42")).isEmpty();
		assertThat(tenants.byClaims(Map.of("tenant", "acme"), " ")).as("a blank subject").isEmpty();
		assertThat(tenants.byClaims(Map.of("tenant", "acme"), null)).isEmpty();
	}

	@Test
	void keysOnlyTenantsAcceptNoTokens() {
		Tenants tenants = Tenants.of(List.of(acme().build()), ACCOUNTS, false);
		assertThat(tenants.acceptsTokens()).isFalse();
		assertThat(tenants.byClaims(Map.of("tenant", "acme"), "user-42")).isEmpty();
	}

	/** The start-up failure's message, which must contain {@code expected}. */
	private static String refused(List<TenantProperties> tenants, String expected) {
		String[] message = new String[1];
		assertThatIllegalStateException().isThrownBy(() -> Tenants.of(tenants, ACCOUNTS, false))
			.satisfies((ex) -> message[0] = ex.getMessage())
			.withMessageContaining(expected);
		return message[0];
	}

	private static Builder acme() {
		return tenant("acme").accounts(List.of("acme-sid-1", "acme-sid-2")).defaultAccount("acme-sid-1")
			.apiKeys(List.of(hash(ACME_KEY)));
	}

	private static Builder globex() {
		return tenant("globex").accounts(List.of("globex-sid")).apiKeys(List.of(hash(GLOBEX_KEY)));
	}

	private static Builder tenant(String id) {
		return new Builder().id(id).exportCallbacks(List.of("https://hooks." + id + ".example/"));
	}

	private static String hash(String key) {
		return "sha256:" + HexFormat.of().formatHex(Tenants.sha256(key));
	}

	/** A tenant's properties, one changed at a time. */
	private static final class Builder {

		private String id;

		private List<String> accounts;

		private String defaultAccount;

		private List<String> apiKeys;

		private JwtClaim jwt;

		private Integer requestsPerMinute;

		private Integer maxCost;

		private List<String> exportCallbacks;

		Builder id(String id) {
			this.id = id;
			return this;
		}

		Builder accounts(List<String> accounts) {
			this.accounts = accounts;
			return this;
		}

		Builder defaultAccount(String defaultAccount) {
			this.defaultAccount = defaultAccount;
			return this;
		}

		Builder apiKeys(List<String> apiKeys) {
			this.apiKeys = apiKeys;
			return this;
		}

		Builder jwt(JwtClaim jwt) {
			this.jwt = jwt;
			return this;
		}

		Builder requestsPerMinute(Integer requestsPerMinute) {
			this.requestsPerMinute = requestsPerMinute;
			return this;
		}

		Builder maxCost(Integer maxCost) {
			this.maxCost = maxCost;
			return this;
		}

		Builder exportCallbacks(List<String> exportCallbacks) {
			this.exportCallbacks = exportCallbacks;
			return this;
		}

		TenantProperties build() {
			return new TenantProperties(this.id, this.accounts, this.defaultAccount, this.apiKeys, this.jwt, this.requestsPerMinute,
					this.maxCost, this.exportCallbacks, false);
		}

	}

}
