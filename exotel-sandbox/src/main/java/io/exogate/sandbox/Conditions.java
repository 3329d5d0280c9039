package io.exogate.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Parses v1 filter values with operators: {@code gte:a;lte:b}, {@code eq:a}, or a bare value meaning {@code eq}. */
final class Conditions<T extends Comparable<T>> {

	private final List<String> operators = new ArrayList<>();

	private final List<T> values = new ArrayList<>();

	private Conditions() {
	}

	static <T extends Comparable<T>> Conditions<T> parse(String name, String text, List<String> allowed,
			Function<String, T> parser) {
		Conditions<T> conditions = new Conditions<>();
		for (String part : text.split(";", -1)) {
			String operator = "eq";
			String value = part;
			int colon = part.indexOf(':');
			if (colon > 0 && part.substring(0, colon).matches("[a-z]+")) {
				operator = part.substring(0, colon);
				value = part.substring(colon + 1);
			}
			if (!allowed.contains(operator)) {
				throw ApiError.badRequest("Invalid operator '" + operator + "' for " + name + "; supported: " + allowed);
			}
			try {
				conditions.values.add(parser.apply(value));
			}
			catch (RuntimeException ex) {
				throw ApiError.badRequest("Invalid value for " + name + ": '" + value + "'");
			}
			conditions.operators.add(operator);
		}
		return conditions;
	}

	boolean test(T actual) {
		for (int i = 0; i < this.operators.size(); i++) {
			int comparison = actual.compareTo(this.values.get(i));
			boolean ok = switch (this.operators.get(i)) {
				case "gte" -> comparison >= 0;
				case "lte" -> comparison <= 0;
				default -> comparison == 0;
			};
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/** The bound given with {@code operator}, or {@code null}. */
	T bound(String operator) {
		int index = this.operators.indexOf(operator);
		return (index >= 0) ? this.values.get(index) : null;
	}

}
