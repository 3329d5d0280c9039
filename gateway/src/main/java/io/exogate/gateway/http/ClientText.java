package io.exogate.gateway.http;

/** Short, printable excerpts of client input, safe to put in an error message. */
public final class ClientText {

	private ClientText() {
	}

	/**
	 * The text with control characters (and other invisible separators) replaced by a space,
	 * cut to at most {@code max} characters (code points) with an ellipsis when longer.
	 */
	public static String excerpt(String text, int max) {
		if (text == null) {
			return "";
		}
		StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
		int i = 0;
		int kept = 0;
		while (i < text.length() && kept < max) {
			int codePoint = text.codePointAt(i);
			i += Character.charCount(codePoint);
			out.appendCodePoint(printable(codePoint) ? codePoint : ' ');
			kept++;
		}
		if (i < text.length()) {
			out.append('…');
		}
		return out.toString();
	}

	private static boolean printable(int codePoint) {
		int type = Character.getType(codePoint);
		return type != Character.CONTROL && type != Character.FORMAT && type != Character.LINE_SEPARATOR
				&& type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE && type != Character.UNASSIGNED
				&& type != Character.PRIVATE_USE;
	}

}
