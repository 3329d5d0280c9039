package io.exogate.model.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallTest {

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

}
