package io.exogate.model.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.exogate.model.port.AccountDirectory;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountDirectoryTest {

	private final AccountDirectory directory = () -> List.of(new Account("acme", "SINGAPORE", 200),
			new Account("acme-in", "MUMBAI", 50));

	@Test
	void anAccountIsFoundBySidAndAnUnknownSidFindsNone() {
		assertThat(this.directory.account("acme-in")).map(Account::region).contains("MUMBAI");
		assertThat(this.directory.account("someone-else")).isEmpty();
	}

	@Test
	void anAccountWithoutBudgetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Account("acme", "SINGAPORE", 0))
			.withMessageContaining("at least 1 request per minute");
	}

}
