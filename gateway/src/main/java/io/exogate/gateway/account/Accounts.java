package io.exogate.gateway.account;

import io.exogate.gateway.upstream.UpstreamMode;
import io.exogate.model.account.Account;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.port.AccountDirectory;
import java.util.List;
import org.springframework.stereotype.Component;

/** The accounts the gateway serves, and how a request's {@code account} argument is resolved. */
@Component
public class Accounts {

	private final AccountDirectory directory;

	private final boolean sandbox;

	public Accounts(AccountDirectory directory, UpstreamMode mode) {
		this.directory = directory;
		this.sandbox = (mode == UpstreamMode.DEMO);
	}

	/** The configured accounts. */
	public List<Account> all() {
		return this.directory.accounts();
	}

	/** Whether the accounts are served by the embedded sandbox of demo mode. */
	public boolean sandbox() {
		return this.sandbox;
	}

	/**
	 * The account SID a request names, or the only configured one when it names none.
	 * @throws BadRequestException when several are configured and none is named, or the named one is unknown
	 */
	public String resolve(String account) {
		List<Account> accounts = this.directory.accounts();
		if (account == null) {
			if (accounts.size() == 1) {
				return accounts.get(0).sid();
			}
			throw new BadRequestException("Several Exotel accounts are configured: name one with 'account' ("
					+ String.join(", ", accounts.stream().map(Account::sid).toList()) + ")");
		}
		if (this.directory.account(account).isEmpty()) {
			throw new BadRequestException("No Exotel account '" + printable(account) + "' is configured");
		}
		return account;
	}

	private static String printable(String value) {
		String shown = (value.length() > 64) ? value.substring(0, 64) + "..." : value;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

}
