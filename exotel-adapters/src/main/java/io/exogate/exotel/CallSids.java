package io.exogate.exotel;

import io.exogate.model.error.BadRequestException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Checks call SIDs before they reach a path or a filter: letters, digits, '_' and '-' only. */
public final class CallSids {

	private static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private CallSids() {
	}

	/** The SID, or a {@link BadRequestException} when it could change the request's shape. */
	public static String require(String sid) {
		if (sid == null || !SID.matcher(sid).matches()) {
			throw new BadRequestException("'" + printable(sid) + "' is not a call SID (1 to 64 letters, digits, '_' or '-')");
		}
		return sid;
	}

	/** The distinct SIDs in order, each checked. */
	public static List<String> requireAll(Collection<String> sids) {
		LinkedHashSet<String> distinct = new LinkedHashSet<>();
		for (String sid : sids) {
			distinct.add(require(sid));
		}
		return List.copyOf(distinct);
	}

	private static String printable(String value) {
		if (value == null) {
			return "null";
		}
		String shown = (value.length() > 40) ? value.substring(0, 40) + "..." : value;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

}
