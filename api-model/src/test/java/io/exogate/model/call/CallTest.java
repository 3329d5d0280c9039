package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallTest {

	private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

	@Test
	void aCallNeedsASid() {
		assertThatThrownBy(() -> Call.builder(" ").build()).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Call.builder(null).build()).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aBareCallHasUnknownStatusAndDirectionAndEmptyLists() {
		Call call = Call.builder("c1").build();
		assertThat(call.status()).isEqualTo(CallStatus.UNKNOWN);
		assertThat(call.direction()).isEqualTo(CallDirection.UNKNOWN);
		assertThat(call.legs()).isEmpty();
		assertThat(call.timeline()).isEmpty();
		assertThat(call.sources()).isEmpty();
		assertThat(call.endedAt()).isNull();
	}

	@Test
	void negativeDurationsAreRejected() {
		assertThatThrownBy(() -> Call.builder("c1").holdTime(Duration.ofSeconds(-1)).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("holdTime");
	}

	@Test
	void listsAreCopied() {
		List<CallLeg> legs = new ArrayList<>();
		legs.add(new CallLeg(1, CallStatus.COMPLETED, "completed", Duration.ofSeconds(21), null));
		Call call = Call.builder("c1").legs(legs).build();
		legs.clear();
		assertThat(call.legs()).hasSize(1);
		assertThatThrownBy(() -> call.legs().clear()).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void toBuilderKeepsEveryValue() {
		Call call = v1View();
		assertThat(call.toBuilder().build()).isEqualTo(call);
	}

	@Test
	void mergingFillsEachAbsentFieldFromTheOtherView() {
		Call merged = v1View().mergedWith(v4View());
		assertThat(merged.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(merged.rawStatus()).as("the preferred view's raw value stays").isEqualTo("completed");
		assertThat(merged.from()).isEqualTo("+919876543210");
		assertThat(merged.price()).isEqualTo(new Money(new BigDecimal("1.500"), "INR"));
		assertThat(merged.agent()).isEqualTo(new Agent("agent_001", "John Agent"));
		assertThat(merged.talkTime()).isEqualTo(Duration.ofSeconds(280));
		assertThat(merged.legs()).hasSize(2);
		assertThat(merged.timeline()).hasSize(1);
		assertThat(merged.sources()).containsExactlyInAnyOrder(ApiVersion.V1, ApiVersion.V4);
	}

	@Test
	void mergingLetsAKnownStatusReplaceAnUnknownOne() {
		Call unknown = Call.builder("c1").status(CallStatus.UNKNOWN, "voicemail").source(ApiVersion.V1).build();
		Call merged = unknown.mergedWith(v4View());
		assertThat(merged.status()).isEqualTo(CallStatus.COMPLETED);
		assertThat(merged.rawStatus()).isEqualTo("completed");
		assertThat(merged.direction()).isEqualTo(CallDirection.OUTBOUND);
		assertThat(merged.rawDirection()).isEqualTo("outbound");
	}

	@Test
	void mergingKeepsThePreferredViewsKnownValues() {
		Call merged = v4View().mergedWith(v1View());
		assertThat(merged.endedAt()).isEqualTo(T0.plusSeconds(300));
		assertThat(merged.rawDirection()).isEqualTo("outbound");
	}

	@Test
	void mergingDifferentCallsIsRefused() {
		assertThatThrownBy(() -> v1View().mergedWith(Call.builder("other").build()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("other");
	}

	@Test
	void valuesAreChecked() {
		assertThatThrownBy(() -> new CallLeg(0, CallStatus.BUSY, "busy", null, null)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new CallLeg(1, CallStatus.BUSY, "busy", Duration.ofSeconds(-2), null))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Money(new BigDecimal("-1"), null)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Money(BigDecimal.ONE, "rupees")).isInstanceOf(IllegalArgumentException.class);
		assertThat(Money.of(BigDecimal.ONE).currency()).isNull();
		assertThatThrownBy(() -> new App(null, null)).isInstanceOf(IllegalArgumentException.class);
		assertThat(new App(null, "IVR").name()).isEqualTo("IVR");
		assertThatThrownBy(() -> new Agent(null, "x")).isInstanceOf(NullPointerException.class);
		assertThatThrownBy(() -> new Customer(null, "x")).isInstanceOf(NullPointerException.class);
		assertThatThrownBy(() -> new TimelineEvent("call_ended", null)).isInstanceOf(NullPointerException.class);
	}

	private static Call v1View() {
		return Call.builder("c1")
			.accountSid("exogate-demo")
			.status(CallStatus.COMPLETED, "completed")
			.direction(CallDirection.OUTBOUND, "outbound-api")
			.from("+919876543210")
			.to("+911234567890")
			.createdAt(T0)
			.startedAt(T0)
			.duration(Duration.ofSeconds(300))
			.price(new Money(new BigDecimal("1.500"), "INR"))
			.legs(List.of(new CallLeg(1, CallStatus.COMPLETED, "completed", Duration.ofSeconds(290), "human"),
					new CallLeg(2, CallStatus.COMPLETED, "completed", Duration.ofSeconds(280), null)))
			.source(ApiVersion.V1)
			.build();
	}

	private static Call v4View() {
		return Call.builder("c1")
			.status(CallStatus.COMPLETED, "completed")
			.direction(CallDirection.OUTBOUND, "outbound")
			.endedAt(T0.plusSeconds(300))
			.talkTime(Duration.ofSeconds(280))
			.holdTime(Duration.ofSeconds(20))
			.agent(new Agent("agent_001", "John Agent"))
			.customer(new Customer("+919876543210", "Customer A"))
			.timeline(List.of(new TimelineEvent("call_ended", T0.plusSeconds(300))))
			.sources(Set.of(ApiVersion.V4))
			.build();
	}

}
