package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.error.BadRequestException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallQueryTest {

	@Test
	void anEmptyQueryMeansTheDefaultWindowNewestFirst() {
		CallQuery query = CallQuery.any();
		assertThat(query.window()).isNull();
		assertThat(query.statuses()).isEmpty();
		assertThat(query.customerNumbers()).isEmpty();
		assertThat(query.sort()).isEqualTo(CallSort.NEWEST_FIRST);
		assertThat(query.needsAgentData()).isFalse();
	}

	@Test
	void aNullSortBecomesNewestFirst() {
		CallQuery query = new CallQuery(null, null, null, null, null, null, null, null, null, null, null, null);
		assertThat(query.sort()).isEqualTo(CallSort.NEWEST_FIRST);
	}

	@Test
	void unknownStatusIsRejected() {
		assertThatThrownBy(() -> CallQuery.builder().status(CallStatus.UNKNOWN).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("UNKNOWN");
	}

	@ParameterizedTest
	@ValueSource(strings = { "QUEUED", "RINGING", "IN_PROGRESS" })
	void ongoingStatusesAreRejectedWithAPointerToActiveCalls(String status) {
		assertThatThrownBy(() -> CallQuery.builder().status(CallStatus.COMPLETED).status(CallStatus.valueOf(status)).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining(status)
			.hasMessageContaining("active calls");
	}

	@Test
	void statusesAreKept() {
		CallQuery query = CallQuery.builder().statuses(List.of(CallStatus.BUSY, CallStatus.MISSED)).build();
		assertThat(query.statuses()).containsExactlyInAnyOrder(CallStatus.BUSY, CallStatus.MISSED);
	}

	@Test
	void aNullStatusIsRejected() {
		assertThatThrownBy(() -> CallQuery.builder().statuses(Arrays.asList(CallStatus.BUSY, null)).build())
			.isInstanceOf(BadRequestException.class);
	}

	@Test
	void unknownDirectionIsRejected() {
		assertThatThrownBy(() -> CallQuery.builder().direction(CallDirection.UNKNOWN).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("INBOUND or OUTBOUND");
	}

	@ParameterizedTest
	@ValueSource(strings = { "+919876543210", "09876543210", "123456", "+123456789012345" })
	void phoneNumbersInE164OrNationalFormAreAccepted(String number) {
		assertThat(CallQuery.builder().customerNumbers(List.of(number)).exophones(List.of(number)).build().customerNumbers())
			.containsExactly(number);
	}

	@ParameterizedTest
	@CsvSource({ "'+91 98765 43210', +919876543210", "+91-98765-43210, +919876543210", "'098765 43210', 09876543210",
			"'1 2 3 4 5 6', 123456" })
	void spacesAndDashesBetweenDigitsAreAcceptedAndDropped(String written, String held) {
		assertThat(CallQuery.builder().customerNumbers(List.of(written, held)).exophones(List.of(written)).build())
			.satisfies((query) -> assertThat(query.customerNumbers()).containsExactly(held))
			.satisfies((query) -> assertThat(query.exophones()).containsExactly(held));
	}

	@ParameterizedTest
	@ValueSource(strings = { "+91987654321,+9100", "98765;lte:1", "gte:9876543210", "98765  43210", "98765 -43210",
			"-9876543210", "9876543210-", " 9876543210", "+ 919876543210", "98765\t43210", "98765.43210", "(0)9876543210",
			"12345", "1 2 3 4 5", "1234567890123456", "1-2-3-4-5-6-7-8-9-0-1-2-3-4-5-6", "abc", "", "+", "9876543210\n" })
	void anythingButAPhoneNumberIsRejectedAsACustomerNumber(String number) {
		assertThatThrownBy(() -> CallQuery.builder().customerNumbers(List.of(number)).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("customerNumbers");
	}

	@Test
	void anythingButAPhoneNumberIsRejectedAsAnExophone() {
		assertThatThrownBy(() -> CallQuery.builder().exophones(List.of("+911234&Sid=x")).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("exophones");
	}

	@Test
	void aNullNumberIsRejected() {
		assertThatThrownBy(() -> CallQuery.builder().customerNumbers(Arrays.asList("+919876543210", null)).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("null");
	}

	@Test
	void duplicateNumbersAreDroppedInOrder() {
		CallQuery query = CallQuery.builder().customerNumbers(List.of("+911", "+912", "+911").stream()
				.map((n) -> n + "00000").toList()).build();
		assertThat(query.customerNumbers()).containsExactly("+91100000", "+91200000");
	}

	@Test
	void atMostFiftyNumbersPerFilter() {
		List<String> fifty = numbers(50);
		assertThat(CallQuery.builder().customerNumbers(fifty).build().customerNumbers()).hasSize(50);
		List<String> fiftyOne = numbers(51);
		assertThatThrownBy(() -> CallQuery.builder().exophones(fiftyOne).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("at most 50");
	}

	@Test
	void aLongBadNumberIsShortenedAndControlCharactersMaskedInTheMessage() {
		String hostile = "9".repeat(100) + "\r\nX-Injected: 1";
		assertThatThrownBy(() -> CallQuery.builder().customerNumbers(List.of(hostile)).build())
			.isInstanceOf(BadRequestException.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("\n").doesNotContain("X-Injected").contains("..."));
	}

	@ParameterizedTest
	@ValueSource(strings = { "agent_001", "a", "jane.doe@example.com", "A-1" })
	void agentIdsAreAccepted(String agentId) {
		CallQuery query = CallQuery.builder().agentId(agentId).build();
		assertThat(query.agentId()).isEqualTo(agentId);
		assertThat(query.needsAgentData()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "_agent", "agent 1", "agent/1", "agent&limit=1", "a;b" })
	void agentIdsWithOperatorsOrSeparatorsAreRejected(String agentId) {
		assertThatThrownBy(() -> CallQuery.builder().agentId(agentId).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("agentId");
	}

	@Test
	void anAgentIdLongerThan64IsRejected() {
		assertThatThrownBy(() -> CallQuery.builder().agentId("a".repeat(65)).build())
			.isInstanceOf(BadRequestException.class);
	}

	@Test
	void durationBoundsMustNotBeNegative() {
		assertThatThrownBy(() -> CallQuery.builder().duration(Duration.ofSeconds(-1), null).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("minDuration cannot be negative");
	}

	@Test
	void durationBoundsMustBeWholeSeconds() {
		assertThatThrownBy(() -> CallQuery.builder().duration(null, Duration.ofMillis(1500)).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("maxDuration must be whole seconds");
	}

	@Test
	void minDurationMustNotExceedMaxDuration() {
		assertThatThrownBy(() -> CallQuery.builder().duration(Duration.ofSeconds(60), Duration.ofSeconds(10)).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("minDuration (60 s) is above maxDuration (10 s)");
		assertThat(CallQuery.builder().duration(Duration.ofSeconds(10), Duration.ofSeconds(10)).build().maxDuration())
			.isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void priceBoundsMustNotBeNegative() {
		assertThatThrownBy(() -> CallQuery.builder().price(null, new BigDecimal("-0.01")).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("maxPrice cannot be negative");
	}

	@Test
	void priceBoundsHaveAtMostSixDecimals() {
		assertThat(CallQuery.builder().price(new BigDecimal("0.300030"), null).build().minPrice())
			.isEqualByComparingTo("0.30003");
		assertThat(CallQuery.builder().price(new BigDecimal("1.50000000"), null).build().minPrice())
			.as("trailing zeros do not count").isEqualByComparingTo("1.5");
		assertThatThrownBy(() -> CallQuery.builder().price(new BigDecimal("0.1234567"), null).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("6 decimal places");
	}

	@Test
	void minPriceMustNotExceedMaxPrice() {
		assertThatThrownBy(() -> CallQuery.builder().price(new BigDecimal("2"), new BigDecimal("1.5")).build())
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining("minPrice (2) is above maxPrice (1.5)");
	}

	@Test
	void everyFilterIsKept() {
		TimeWindow window = TimeWindow.endingAt(java.time.Instant.parse("2026-11-01T00:00:00Z"), Duration.ofDays(3));
		CallQuery query = CallQuery.builder()
			.window(window)
			.direction(CallDirection.INBOUND)
			.hasRecording(true)
			.sort(CallSort.OLDEST_FIRST)
			.build();
		assertThat(query.window()).isEqualTo(window);
		assertThat(query.direction()).isEqualTo(CallDirection.INBOUND);
		assertThat(query.hasRecording()).isTrue();
		assertThat(query.sort()).isEqualTo(CallSort.OLDEST_FIRST);
	}

	@Test
	void theQueryIsImmutable() {
		List<String> numbers = new ArrayList<>(List.of("+919876543210"));
		CallQuery query = new CallQuery(null, null, null, numbers, null, null, null, null, null, null, null, null);
		numbers.add("+919876543211");
		assertThat(query.customerNumbers()).containsExactly("+919876543210");
		assertThatThrownBy(() -> query.customerNumbers().add("+919876543212"))
			.isInstanceOf(UnsupportedOperationException.class);
	}

	private static List<String> numbers(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "+91987654" + String.format("%04d", i)).toList();
	}

}
