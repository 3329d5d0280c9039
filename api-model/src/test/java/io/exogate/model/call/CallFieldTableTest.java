package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's field-cost table and {@link CallField} agree row for row, both ways. */
class CallFieldTableTest {

	@Test
	void everyFieldIsDocumentedWithItsOwnersLookupAndBatch() {
		List<List<String>> rows = MappingTable.cells("field-costs");
		assertThat(rows.stream().map((row) -> MappingTable.unquote(row.get(0))).collect(Collectors.toSet()))
			.isEqualTo(Arrays.stream(CallField.values()).map(CallField::graphQlName).collect(Collectors.toSet()));
		for (List<String> row : rows) {
			CallField field = CallField.named(MappingTable.unquote(row.get(0)));
			String owners = field.owners().isEmpty() ? "every view"
					: field.owners().stream().map((version) -> version.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
			assertThat(row.get(1)).as("owners of %s", field).isEqualTo(owners);
			ApiVersion lookup = field.lookupVersion();
			assertThat(row.get(2)).as("lookup of %s", field).isEqualTo((lookup != null) ? lookup.name().toLowerCase(Locale.ROOT) : "—");
			assertThat(row.get(3)).as("batch of %s", field)
				.isEqualTo((lookup != null) ? String.valueOf(CallField.lookupBatch(lookup)) : "—");
			assertThat(row.get(4)).as("v4-only list field %s", field).isEqualTo(field.listedByV4Only() ? "yes" : "");
		}
	}

	@Test
	void aPageOfAHundredCostsOneRequestPerVersionAndBatch() {
		assertThat(CallField.lookupCost(ApiVersion.V4, List.of(CallField.FROM, CallField.TO, CallField.PRICE), 100)).isEqualTo(1);
		assertThat(CallField.lookupCost(ApiVersion.V1, List.of(CallField.AGENT, CallField.CUSTOMER), 100)).isEqualTo(100);
		assertThat(CallField.lookupCost(ApiVersion.V1, List.of(CallField.APP, CallField.DIGITS, CallField.FROM), 100)).isEqualTo(100);
		assertThat(CallField.lookupCost(ApiVersion.V1, List.of(CallField.SID, CallField.STATUS), 100)).isZero();
	}

	@Test
	void searchesAreRoutedByFilterFirstThenBySelection() {
		CallQuery any = CallQuery.builder().build();
		assertThat(SearchRoute.route(any, List.of(CallField.FROM))).isEqualTo(ApiVersion.V1);
		assertThat(SearchRoute.route(any, List.of(CallField.AGENT))).isEqualTo(ApiVersion.V4);
		assertThat(SearchRoute.route(any, List.of(CallField.CUSTOM_FIELD))).isEqualTo(ApiVersion.V4);
		assertThat(SearchRoute.route(CallQuery.builder().agentId("a1").build(), List.of())).isEqualTo(ApiVersion.V4);
		assertThat(SearchRoute.route(CallQuery.builder().price(null, new java.math.BigDecimal("2")).build(), List.of(CallField.AGENT)))
			.as("price filters only v1 answers").isEqualTo(ApiVersion.V1);
	}

}
