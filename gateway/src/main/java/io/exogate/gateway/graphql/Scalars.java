package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/** The schema's scalars: {@code DateTime} (ISO-8601, always UTC) and {@code Long}. */
@Configuration(proxyBeanMethods = false)
public class Scalars {

	static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar()
		.name("DateTime")
		.description("An instant in ISO-8601, always in UTC")
		.coercing(new Coercing<Instant, String>() {

			@Override
			public String serialize(Object value, GraphQLContext context, Locale locale) {
				if (value instanceof Instant instant) {
					return instant.truncatedTo(ChronoUnit.MILLIS).toString();
				}
				throw new CoercingSerializeException("Not an instant: " + value.getClass().getSimpleName());
			}

			@Override
			public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
				if (input instanceof String text) {
					return parse(text, CoercingParseValueException::new);
				}
				throw new CoercingParseValueException("DateTime takes an ISO-8601 string such as 2024-06-15T10:30:00Z");
			}

			@Override
			public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
				if (input instanceof StringValue text) {
					return parse(text.getValue(), CoercingParseLiteralException::new);
				}
				throw new CoercingParseLiteralException("DateTime takes an ISO-8601 string such as 2024-06-15T10:30:00Z");
			}

		})
		.build();

	static final GraphQLScalarType LONG = GraphQLScalarType.newScalar()
		.name("Long")
		.description("A whole number that may exceed 32 bits")
		.coercing(new Coercing<Long, Long>() {

			@Override
			public Long serialize(Object value, GraphQLContext context, Locale locale) {
				if (value instanceof Number number) {
					return number.longValue();
				}
				throw new CoercingSerializeException("Not a number: " + value.getClass().getSimpleName());
			}

			@Override
			public Long parseValue(Object input, GraphQLContext context, Locale locale) {
				if (input instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
					return number.longValue();
				}
				throw new CoercingParseValueException("Long takes a whole number");
			}

			@Override
			public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
				if (input instanceof IntValue value) {
					BigInteger number = value.getValue();
					if (number.bitLength() < 64) {
						return number.longValue();
					}
				}
				throw new CoercingParseLiteralException("Long takes a whole number of at most 64 bits");
			}

		})
		.build();

	@Bean
	RuntimeWiringConfigurer exogateScalars() {
		return (wiring) -> wiring.scalar(DATE_TIME).scalar(LONG);
	}

	private static <E extends RuntimeException> Instant parse(String text, java.util.function.Function<String, E> error) {
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw error.apply("DateTime takes an ISO-8601 string with an offset, such as 2024-06-15T10:30:00Z");
		}
	}

}
