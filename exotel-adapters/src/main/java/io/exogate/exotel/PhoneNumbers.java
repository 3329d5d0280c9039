package io.exogate.exotel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers in E.164 (libphonenumber), numbers without a country code read in a default region.
 * <p>
 * Exotel writes one number several ways: v1 answers {@code 0XXXXX30240} (national) while its docs
 * and filters speak E.164, v3 and v4 answer {@code +911414941199}. A number becomes E.164 when
 * libphonenumber reads it as a possible number of its country; anything else (a masked
 * {@code 0XXXXX30240}, a UUID {@code PhoneNumberSid}, a short code) is kept as it was written,
 * because a guess would match the wrong calls. Region metadata is loaded here, at start, so that
 * nothing reads it from the class path later on an event loop.
 */
public final class PhoneNumbers {

	/** libphonenumber reads letters as keypad digits ({@code 0XXXXX30240}); only digits and separators are numbers here. */
	private static final Pattern DIALLABLE = Pattern.compile("\\+?[0-9][0-9 ().-]*");

	private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

	/** Stands for "not a number" among the numbers read. */
	private static final String UNREADABLE = new String("");

	/** Longer values are read every time rather than remembered. */
	private static final int MAX_REMEMBERED_LENGTH = 64;

	private final String defaultRegion;

	/** Numbers already read, and what they read as. */
	private final Cache<String, String> read = Caffeine.newBuilder().maximumSize(20_000).build();

	/**
	 * @param defaultRegion ISO 3166 two-letter code of the country whose numbers may come without
	 * a country code ({@code IN}: {@code 09800758655} and {@code 9800758655} are {@code +919800758655})
	 * @throws IllegalArgumentException if libphonenumber does not know the region
	 */
	public PhoneNumbers(String defaultRegion) {
		if (!isRegion(defaultRegion)) {
			throw new IllegalArgumentException("Unknown phone number region '" + defaultRegion + "'");
		}
		this.defaultRegion = defaultRegion;
		for (String region : UTIL.getSupportedRegions()) {
			UTIL.getExampleNumber(region);
		}
		for (int callingCode : UTIL.getSupportedGlobalNetworkCallingCodes()) {
			UTIL.getExampleNumberForNonGeoEntity(callingCode);
		}
	}

	/** Whether {@code code} is an upper-case ISO 3166 two-letter code that libphonenumber has a numbering plan for. */
	public static boolean isRegion(String code) {
		return code != null && code.matches("[A-Z]{2}") && UTIL.getSupportedRegions().contains(code);
	}

	/** The region numbers without a country code are read in. */
	public String defaultRegion() {
		return this.defaultRegion;
	}

	/** The number in E.164 ({@code +919800758655}), or {@code null} when it cannot be read as a possible number. */
	public String e164(String number) {
		if (number == null) {
			return null;
		}
		if (number.length() > MAX_REMEMBERED_LENGTH) {
			return read(number);
		}
		// Parsing is the costliest step of mapping a call: the same numbers recur on every page.
		String known = this.read.get(number, (any) -> {
			String e164 = read(any);
			return (e164 != null) ? e164 : UNREADABLE;
		});
		return (known == UNREADABLE) ? null : known;
	}

	private String read(String number) {
		String trimmed = number.trim();
		if (!DIALLABLE.matcher(trimmed).matches()) {
			return null;
		}
		try {
			PhoneNumber parsed = UTIL.parse(trimmed, this.defaultRegion);
			return (UTIL.isPossibleNumberWithReason(parsed) == ValidationResult.IS_POSSIBLE)
					? UTIL.format(parsed, PhoneNumberFormat.E164) : null;
		}
		catch (NumberParseException ex) {
			return null;
		}
	}

	/** A number as the model holds it: E.164, or the value unchanged when it cannot be read as a number. */
	public String toModel(String number) {
		String e164 = e164(number);
		return (e164 != null) ? e164 : number;
	}

	/**
	 * Query numbers as a v1 {@code To}/{@code From}/{@code PhoneNumber} filter takes them: E.164,
	 * as Exotel's docs ask; a number that cannot be read as one goes as written, without spaces or
	 * dashes. Numbers that are the same once normalized are sent once.
	 */
	public List<String> forV1Filter(Collection<String> numbers) {
		return List.copyOf(normalized(numbers));
	}

	/**
	 * Query numbers as they compare with the model's numbers ({@link #toModel}), for filters applied
	 * in the adapter (v4 has no number filters): E.164 where readable, without duplicates.
	 */
	public Set<String> forMatching(Collection<String> numbers) {
		return normalized(numbers);
	}

	private Set<String> normalized(Collection<String> numbers) {
		Set<String> normalized = new LinkedHashSet<>();
		for (String number : numbers) {
			String e164 = e164(number);
			normalized.add((e164 != null) ? e164 : number.replaceAll("[ -]", ""));
		}
		return normalized;
	}

	@Override
	public String toString() {
		return "PhoneNumbers[defaultRegion=" + this.defaultRegion + "]";
	}

}
