package io.exogate.gateway.account;

import graphql.GraphQLContext;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.security.Caller;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.Tenants.Tenant;
import io.exogate.gateway.upstream.UpstreamMode;
import io.exogate.model.account.Account;
import io.exogate.model.error.BadRequestException;
import io.exogate.model.error.NotFoundException;
import io.exogate.model.port.AccountDirectory;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The accounts the gateway serves, and how a request's {@code account} argument is resolved within
 * the caller's tenant: an account of another tenant answers exactly as an unknown one does.
 */
@Component
public class Accounts {

	private final AccountDirectory directory;

	private final boolean sandbox;

	private final ObjectProvider<Audit> audit;

	public Accounts(AccountDirectory directory, UpstreamMode mode, ObjectProvider<Audit> audit) {
		this.directory = directory;
		this.sandbox = (mode == UpstreamMode.DEMO);
		this.audit = audit;
	}

	/** Every configured account, whatever the tenant. */
	public List<Account> all() {
		return this.directory.accounts();
	}

	/** The accounts a tenant may see, in configuration order. */
	public List<Account> of(Tenant tenant) {
		return this.directory.accounts().stream().filter((account) -> tenant.owns(account.sid())).toList();
	}

	/** Whether the accounts are served by the embedded sandbox of demo mode. */
	public boolean sandbox() {
		return this.sandbox;
	}

	/**
	 * The account SID a request names, or its tenant's default account when it names none.
	 * @param via the operation asking, for the audit trail
	 * @throws BadRequestException when the tenant has several accounts, no default, and none is named
	 * @throws NotFoundException when the named account is unknown or another tenant's
	 */
	public String resolve(GraphQLContext context, String account, String via) {
		Tenant tenant = CallerScope.tenant(context);
		if (account == null) {
			if (tenant.defaultAccount() != null) {
				return tenant.defaultAccount();
			}
			throw new BadRequestException("Several Exotel accounts are available: name one with 'account' ("
					+ String.join(", ", tenant.accounts()) + ")");
		}
		if (!tenant.owns(account)) {
			if (this.directory.account(account).isPresent()) {
				Caller caller = CallerScope.caller(context);
				this.audit.ifAvailable((trail) -> trail.crossTenant(caller, account, via));
			}
			throw new NotFoundException("No Exotel account '" + printable(account) + "'");
		}
		return account;
	}

	private static String printable(String value) {
		String shown = (value.length() > 64) ? value.substring(0, 64) + "..." : value;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

}
