package io.exogate.sandbox;

import java.util.List;
import java.util.Map;

/** Writes v1's XML: maps become elements in order, lists repeat their items, null becomes empty. */
final class Xml {

	private Xml() {
	}

	static String document(Map<String, Object> root) {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TwilioResponse>");
		root.forEach((name, value) -> element(xml, name, value));
		return xml.append("</TwilioResponse>\n").toString();
	}

	@SuppressWarnings("unchecked")
	private static void element(StringBuilder xml, String name, Object value) {
		if (value instanceof List<?> list && name.equals("Calls")) {
			list.forEach((item) -> element(xml, "Call", item));
			return;
		}
		xml.append('<').append(name).append('>');
		if (value instanceof Map<?, ?> map) {
			((Map<String, Object>) map).forEach((childName, child) -> element(xml, childName, child));
		}
		else if (value instanceof List<?> list) {
			for (Object item : list) {
				((Map<String, Object>) item).forEach((childName, child) -> element(xml, childName, child));
			}
		}
		else if (value != null) {
			escape(xml, value.toString());
		}
		xml.append("</").append(name).append('>');
	}

	private static void escape(StringBuilder xml, String text) {
		for (char c : text.toCharArray()) {
			switch (c) {
				case '<' -> xml.append("&lt;");
				case '>' -> xml.append("&gt;");
				case '&' -> xml.append("&amp;");
				case '"' -> xml.append("&quot;");
				default -> xml.append(c);
			}
		}
	}

}
