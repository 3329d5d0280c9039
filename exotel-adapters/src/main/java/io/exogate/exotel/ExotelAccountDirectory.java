package io.exogate.exotel;

import io.exogate.model.account.Account;
import io.exogate.model.port.AccountDirectory;
import java.util.List;

/** The configured accounts as the model sees them: SID, region and budget, no credentials. */
final class ExotelAccountDirectory implements AccountDirectory {

	private final List<Account> accounts;

	ExotelAccountDirectory(ExotelProperties properties) {
		this.accounts = properties.accounts()
			.stream()
			.map((account) -> new Account(account.sid(), account.region().name(), account.requestsPerMinute()))
			.toList();
	}

	@Override
	public List<Account> accounts() {
		return this.accounts;
	}

}
