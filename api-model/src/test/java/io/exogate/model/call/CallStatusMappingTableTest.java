package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's status table and {@link CallStatus}'s mappers agree row for row, both ways. */
class CallStatusMappingTableTest {

	static Stream<MappingTable.Row> vendorRows() {
		return MappingTable.read("status-mapping").stream().filter((row) -> !row.api().equals("any"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vendorRows")
	void everyDocumentedRowMapsAsDocumented(MappingTable.Row row) {
		CallStatus expected = CallStatus.valueOf(row.normalized());
		assertThat(map(row.api(), row.raw())).isEqualTo(expected);
		assertThat(map(row.api(), " " + row.raw().toUpperCase() + " ")).as("case and blanks ignored").isEqualTo(expected);
	}

	@Test
	void everyValueTheCodeKnowsIsDocumented() {
		Map<String, Map<String, CallStatus>> documented = vendorRows()
			.filter((row) -> !row.raw().startsWith("state="))
			.collect(Collectors.groupingBy(MappingTable.Row::api,
					Collectors.toMap(MappingTable.Row::raw, (row) -> CallStatus.valueOf(row.normalized()))));
		assertThat(documented).isEqualTo(CallStatus.vocabularies());
	}

	@Test
	void everyValueInTheFieldNotesHasARow() {
		List<String> v1 = List.of("queued", "ringing", "in-progress", "completed", "failed", "busy", "no-answer",
				"canceled", "cancelled");
		List<String> v3 = List.of("state=active", "completed", "from_leg_unanswered", "to_leg_unanswered",
				"from_leg_cancelled", "to_leg_no_dial", "from_leg_no_dial", "agent_unanswered");
		List<String> v4 = List.of("completed", "missed", "abandoned", "failed", "busy");
		Map<String, List<String>> documented = vendorRows().collect(Collectors.groupingBy(MappingTable.Row::api,
				Collectors.mapping(MappingTable.Row::raw, Collectors.toList())));
		assertThat(documented.get("v1")).containsAll(v1);
		assertThat(documented.get("v3")).containsAll(v3);
		assertThat(documented.get("v4")).containsAll(v4);
	}

	@Test
	void bothCanceledSpellingsAreCanceled() {
		assertThat(CallStatus.fromV1("canceled")).isEqualTo(CallStatus.CANCELED);
		assertThat(CallStatus.fromV1("cancelled")).isEqualTo(CallStatus.CANCELED);
	}

	@Test
	void theCatchAllRowIsDocumentedAsUnknown() {
		assertThat(MappingTable.read("status-mapping")).filteredOn((row) -> row.api().equals("any"))
			.singleElement()
			.extracting(MappingTable.Row::normalized)
			.isEqualTo("UNKNOWN");
	}

	@ParameterizedTest
	@ValueSource(strings = { "voicemail", "answered_by_bot", "in progress", "complete", "" })
	void aValueNeverSeenBeforeIsUnknownInEveryVersion(String raw) {
		assertThat(CallStatus.fromV1(raw)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV3("terminal", raw)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV4(raw)).isEqualTo(CallStatus.UNKNOWN);
	}

	@Test
	void absentValuesAreUnknownExceptAnActiveV3Call() {
		assertThat(CallStatus.fromV1(null)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV4(null)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV3("terminal", null)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV3(null, null)).isEqualTo(CallStatus.UNKNOWN);
		assertThat(CallStatus.fromV3("ACTIVE", "")).isEqualTo(CallStatus.IN_PROGRESS);
	}

	@Test
	void onlyQueuedRingingAndInProgressAreOngoing() {
		assertThat(Stream.of(CallStatus.values()).filter(CallStatus::isOngoing))
			.containsExactly(CallStatus.QUEUED, CallStatus.RINGING, CallStatus.IN_PROGRESS);
	}

	private static CallStatus map(String api, String raw) {
		return switch (api) {
			case "v1" -> CallStatus.fromV1(raw);
			case "v3" -> raw.trim().toLowerCase().startsWith("state=")
					? CallStatus.fromV3(raw.trim().substring("state=".length()), null)
					: CallStatus.fromV3("terminal", raw);
			case "v4" -> CallStatus.fromV4(raw);
			default -> throw new IllegalArgumentException("Unknown API in the table: " + api);
		};
	}

}
