package io.exogate.gateway.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.Description;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every type, field, argument, input field and enum value of the schema is described. */
class SchemaDescriptionsTest {

	@Test
	void everythingHasADescription() throws IOException {
		String schema;
		try (InputStream in = getClass().getResourceAsStream("/graphql/schema.graphqls")) {
			schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		TypeDefinitionRegistry registry = new SchemaParser().parse(schema);
		List<String> undescribed = new ArrayList<>();
		for (TypeDefinition<?> type : registry.types().values()) {
			check(type.getName(), describedBy(type), undescribed);
			if (type instanceof ObjectTypeDefinition object) {
				for (FieldDefinition field : object.getFieldDefinitions()) {
					check(type.getName() + "." + field.getName(), field.getDescription(), undescribed);
					for (InputValueDefinition argument : field.getInputValueDefinitions()) {
						check(type.getName() + "." + field.getName() + "(" + argument.getName() + ")", argument.getDescription(), undescribed);
					}
				}
			}
			if (type instanceof InputObjectTypeDefinition input) {
				input.getInputValueDefinitions().forEach((field) -> check(type.getName() + "." + field.getName(), field.getDescription(), undescribed));
			}
			if (type instanceof EnumTypeDefinition enumType) {
				enumType.getEnumValueDefinitions().forEach((value) -> check(type.getName() + "." + value.getName(), value.getDescription(), undescribed));
			}
		}
		registry.scalars().values().stream().filter((scalar) -> scalar.getSourceLocation() != null)
			.forEach((scalar) -> check(scalar.getName(), scalar.getDescription(), undescribed));
		assertThat(registry.types()).containsKeys("Query", "Mutation", "Call", "Recording", "CallConnection");
		assertThat(undescribed).isEmpty();
	}

	private static Description describedBy(TypeDefinition<?> type) {
		return (type instanceof graphql.language.AbstractDescribedNode<?> described) ? described.getDescription() : null;
	}

	private static void check(String name, Description description, List<String> undescribed) {
		if (description == null || description.getContent().isBlank()) {
			undescribed.add(name);
		}
	}

}
