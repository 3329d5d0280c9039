package io.exogate.model.port;

import io.exogate.model.account.Account;
import java.util.List;
import java.util.Optional;

/** The Exotel accounts configured, fixed for the life of the application. */
public interface AccountDirectory {

	/** Every account, in configuration order; at least one. */
	List<Account> accounts();

	/** The account with this SID, if configured. */
	default Optional<Account> account(String sid) {
		return accounts().stream().filter((account) -> account.sid().equals(sid)).findFirst();
	}

}
