package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's direction table and {@link CallDirection}'s mappers agree row for row, both ways. */
class CallDirectionMappingTableTest {

	static Stream<MappingTable.Row> vendorRows() {
		return MappingTable.read("direction-mapping").stream().filter((row) -> !row.api().equals("any"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vendorRows")
	void everyDocumentedRowMapsAsDocumented(MappingTable.Row row) {
		CallDirection expected = CallDirection.valueOf(row.normalized());
		assertThat(map(row.api(), row.raw())).isEqualTo(expected);
		assertThat(map(row.api(), row.raw().toUpperCase() + "\t")).as("case and blanks ignored").isEqualTo(expected);
	}

	@Test
	void everyValueTheCodeKnowsIsDocumented() {
		Map<String, Map<String, CallDirection>> documented = vendorRows()
			.collect(Collectors.groupingBy(MappingTable.Row::api,
					Collectors.toMap(MappingTable.Row::raw, (row) -> CallDirection.valueOf(row.normalized()))));
		assertThat(documented).isEqualTo(CallDirection.vocabularies());
	}

	@Test
	void theCatchAllRowIsDocumentedAsUnknown() {
		assertThat(MappingTable.read("direction-mapping")).filteredOn((row) -> row.api().equals("any"))
			.singleElement()
			.extracting(MappingTable.Row::normalized)
			.isEqualTo("UNKNOWN");
	}

	@ParameterizedTest
	@ValueSource(strings = { "outbound-sip", "internal", "" })
	void aValueNeverSeenBeforeIsUnknown(String raw) {
		assertThat(CallDirection.fromV1(raw)).isEqualTo(CallDirection.UNKNOWN);
		assertThat(CallDirection.fromV3(raw)).isEqualTo(CallDirection.UNKNOWN);
		assertThat(CallDirection.fromV4(raw)).isEqualTo(CallDirection.UNKNOWN);
		assertThat(CallDirection.fromV4(null)).isEqualTo(CallDirection.UNKNOWN);
	}

	@Test
	void v1OutboundSubtypesAreNotV3Values() {
		assertThat(CallDirection.fromV3("outbound-api")).isEqualTo(CallDirection.UNKNOWN);
		assertThat(CallDirection.fromV4("outbound-dial")).isEqualTo(CallDirection.UNKNOWN);
	}

	private static CallDirection map(String api, String raw) {
		return switch (api) {
			case "v1" -> CallDirection.fromV1(raw);
			case "v3" -> CallDirection.fromV3(raw);
			case "v4" -> CallDirection.fromV4(raw);
			default -> throw new IllegalArgumentException("Unknown API in the table: " + api);
		};
	}

}
