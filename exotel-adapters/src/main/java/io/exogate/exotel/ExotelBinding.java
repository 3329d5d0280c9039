package io.exogate.exotel;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.diagnostics.FailureAnalyzedException;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reads {@link ExotelProperties} from the {@link Environment}: the accounts under
 * {@code exogate.exotel.accounts}, else one account from the {@code EXOTEL_*} environment
 * variables. A missing, partial or misspelt configuration stops the start with a message naming
 * what to set; no message carries a configured value.
 */
final class ExotelBinding {

	static final String ACCOUNT_SID = "EXOTEL_ACCOUNT_SID";

	static final String API_KEY = "EXOTEL_API_KEY";

	static final String API_TOKEN = "EXOTEL_API_TOKEN";

	static final String V4_TOKEN = "EXOTEL_V4_TOKEN";

	static final String REGION = "EXOTEL_REGION";

	static final String V1_BASE_URL = "EXOTEL_V1_BASE_URL";

	static final String V3_BASE_URL = "EXOTEL_V3_BASE_URL";

	static final String V4_BASE_URL = "EXOTEL_V4_BASE_URL";

	/**
	 * The secret Exotel's callbacks to the gateway carry; read by the gateway's webhooks, not here, but
	 * one of the single-account variables all the same.
	 */
	static final String CALLBACK_SECRET = "EXOTEL_CALLBACK_SECRET";

	/** The single-account environment variables, in the order the README lists them. */
	static final List<String> VARIABLES = List.of(ACCOUNT_SID, API_KEY, API_TOKEN, V4_TOKEN, REGION, V1_BASE_URL, V3_BASE_URL,
			V4_BASE_URL, CALLBACK_SECRET);

	private static final String PREFIX = "EXOTEL_";

	private static final ConfigurationPropertyName ACCOUNTS = ConfigurationPropertyName.of("exogate.exotel.accounts");

	private static final String HOW = "Set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN for one account"
			+ " (EXOTEL_REGION, EXOTEL_V1_BASE_URL, EXOTEL_V3_BASE_URL and EXOTEL_V4_BASE_URL are optional),"
			+ " or configure several under exogate.exotel.accounts.";

	private static final Logger logger = LoggerFactory.getLogger(ExotelBinding.class);

	private ExotelBinding() {
	}

	/**
	 * The Exotel configuration of this environment.
	 * @throws FailureAnalyzedException when no account is configured, or the configuration is
	 * incomplete, misspelt or invalid
	 */
	static ExotelProperties bind(Environment environment) {
		Set<String> unknown = unknownVariables(environment);
		if (!unknown.isEmpty()) {
			throw new FailureAnalyzedException(
					"Unknown Exotel environment variable" + ((unknown.size() > 1) ? "s " : " ") + String.join(", ", unknown)
							+ ": the known ones are " + String.join(", ", VARIABLES),
					"Correct or unset " + String.join(", ", unknown) + ". " + HOW);
		}
		Binder binder = Binder.get(environment);
		if (accountsConfigured(environment)) {
			ExotelProperties properties = bound(() -> binder.bindOrCreate("exogate.exotel", ExotelProperties.class));
			logger.info("Exotel accounts {} from exogate.exotel.accounts",
					properties.accounts().stream().map(ExotelProperties.Account::sid).toList());
			return properties;
		}
		Map<String, String> variables = new LinkedHashMap<>();
		for (String name : VARIABLES) {
			if (name.equals(CALLBACK_SECRET)) {
				continue;
			}
			String value = environment.getProperty(name);
			if (value != null) {
				variables.put(name, value);
			}
		}
		if (variables.isEmpty()) {
			throw new FailureAnalyzedException("No Exotel account is configured", HOW);
		}
		ExotelProperties properties = fromVariables(variables, binder);
		logger.info("Exotel account {} from the EXOTEL_* environment variables", properties.accounts().get(0).sid());
		return properties;
	}

	/** Whether any property under {@code exogate.exotel.accounts} is set. */
	static boolean accountsConfigured(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(ACCOUNTS) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

	/** Names starting with {@code EXOTEL_}, in any case, that are not one of {@link #VARIABLES}. */
	static Set<String> unknownVariables(Environment environment) {
		Set<String> unknown = new TreeSet<>();
		if (environment instanceof ConfigurableEnvironment configurable) {
			for (PropertySource<?> source : configurable.getPropertySources()) {
				if (source instanceof EnumerablePropertySource<?> enumerable) {
					Arrays.stream(enumerable.getPropertyNames())
						.filter((name) -> name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
						.filter((name) -> !VARIABLES.contains(name.toUpperCase(Locale.ROOT)))
						.forEach(unknown::add);
				}
			}
		}
		return unknown;
	}

	private static ExotelProperties fromVariables(Map<String, String> variables, Binder binder) {
		List<String> problems = new ArrayList<>();
		String sid = variables.get(ACCOUNT_SID);
		if (sid == null) {
			List<String> set = List.copyOf(variables.keySet());
			problems.add(enumeration(set) + ((set.size() > 1) ? " are" : " is") + " set but " + ACCOUNT_SID + " is not");
		}
		else if (sid.isBlank()) {
			problems.add(ACCOUNT_SID + " is empty");
		}
		else if (!sid.trim().matches(ExotelProperties.SID_PATTERN)) {
			problems.add(ACCOUNT_SID + " must be 1 to 64 letters, digits, '_' or '-'");
		}
		boolean key = usable(variables, API_KEY);
		boolean token = usable(variables, API_TOKEN);
		if (key && !token) {
			problems.add(API_KEY + " needs " + API_TOKEN + (variables.containsKey(API_TOKEN) ? ", which is empty" : ""));
		}
		else if (token && !key) {
			problems.add(API_TOKEN + " needs " + API_KEY + (variables.containsKey(API_KEY) ? ", which is empty" : ""));
		}
		else if (!key) {
			problems.add(missing(variables, API_KEY));
			problems.add(missing(variables, API_TOKEN));
		}
		if (!usable(variables, V4_TOKEN)) {
			problems.add(missing(variables, V4_TOKEN));
		}
		Region region = region(variables.get(REGION), problems);
		URI v1 = url(variables, V1_BASE_URL, problems);
		URI v3 = url(variables, V3_BASE_URL, problems);
		URI v4 = url(variables, V4_BASE_URL, problems);
		if (!problems.isEmpty()) {
			throw new FailureAnalyzedException(
					"The EXOTEL_* environment variables do not configure an Exotel account: " + String.join("; ", problems),
					"Set EXOTEL_ACCOUNT_SID, EXOTEL_API_KEY, EXOTEL_API_TOKEN and EXOTEL_V4_TOKEN together (EXOTEL_REGION,"
							+ " EXOTEL_V1_BASE_URL, EXOTEL_V3_BASE_URL and EXOTEL_V4_BASE_URL are optional), or unset them all.");
		}
		ExotelProperties.Account account = new ExotelProperties.Account(sid.trim(), region, variables.get(API_KEY),
				variables.get(API_TOKEN), variables.get(V4_TOKEN), new ExotelProperties.BaseUrls(v1, v3, v4), null, null, null, null);
		return bound(() -> new ExotelProperties(List.of(account),
				binder.bind("exogate.exotel.pool", ExotelProperties.Pool.class).orElse(null),
				binder.bind("exogate.exotel.resilience", ExotelProperties.Resilience.class).orElse(null),
				binder.bind("exogate.exotel.budget", ExotelProperties.Budget.class).orElse(null),
				binder.bind("exogate.exotel.recording-url-validity", Duration.class).orElse(null),
				binder.bind("exogate.exotel.default-region", String.class).orElse(null)));
	}

	private static Region region(String value, List<String> problems) {
		if (value == null) {
			return null;
		}
		String name = value.trim().toUpperCase(Locale.ROOT);
		for (Region region : Region.values()) {
			if (region.name().equals(name)) {
				return region;
			}
		}
		problems.add(REGION + " must be " + enumeration(Arrays.stream(Region.values()).map(Region::name).toList(), " or "));
		return null;
	}

	private static URI url(Map<String, String> variables, String name, List<String> problems) {
		String value = variables.get(name);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			URI url = new URI(value.trim());
			ExotelProperties.BaseUrls.checkUrl(url, name);
			return url;
		}
		catch (URISyntaxException ex) {
			problems.add(name + " is not a URL");
		}
		catch (IllegalArgumentException ex) {
			problems.add(ex.getMessage());
		}
		return null;
	}

	private static boolean usable(Map<String, String> variables, String name) {
		String value = variables.get(name);
		return value != null && !value.isBlank();
	}

	private static String missing(Map<String, String> variables, String name) {
		return name + (variables.containsKey(name) ? " is empty" : " is not set");
	}

	private static String enumeration(List<String> names) {
		return enumeration(names, " and ");
	}

	private static String enumeration(List<String> names, String last) {
		if (names.size() < 2) {
			return String.join("", names);
		}
		return String.join(", ", names.subList(0, names.size() - 1)) + last + names.get(names.size() - 1);
	}

	/**
	 * The result of a binding, or a start failure naming the key at fault. The binding error is
	 * not kept as the cause: Boot's own analysis of it would print the offending value, which may
	 * be a credential.
	 */
	private static <T> T bound(Supplier<T> binding) {
		try {
			return binding.get();
		}
		catch (BindException ex) {
			throw new FailureAnalyzedException(describe(ex), "Correct the value. " + HOW);
		}
		catch (IllegalArgumentException ex) {
			throw new FailureAnalyzedException(ex.getMessage(), "Correct the value. " + HOW);
		}
	}

	private static String describe(BindException ex) {
		Throwable root = ex;
		boolean conversion = false;
		while (root.getCause() != null) {
			root = root.getCause();
			conversion |= root instanceof ConversionException;
		}
		if (conversion) {
			Class<?> type = ex.getTarget().getType().resolve();
			return ex.getName() + " cannot be read as " + ((type != null) ? type.getSimpleName() : "configured");
		}
		return (root != ex && root.getMessage() != null) ? root.getMessage() : "exogate.exotel: " + ex.getName() + " is invalid";
	}

}
