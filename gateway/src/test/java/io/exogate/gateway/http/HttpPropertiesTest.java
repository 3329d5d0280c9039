package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class HttpPropertiesTest {

	@Test
	void theBodyLimitIs64KbUnlessSet() {
		assertThat(new HttpProperties(null, null).maxBodyBytes()).isEqualTo(65536);
		assertThat(new HttpProperties(DataSize.ofMegabytes(1), null).maxBodyBytes()).isEqualTo(1048576);
	}

	@Test
	void aLimitOfNothingOrBeyondAnIntIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new HttpProperties(DataSize.ofBytes(0), null));
		assertThatIllegalArgumentException().isThrownBy(() -> new HttpProperties(DataSize.ofGigabytes(4), null));
	}

}
