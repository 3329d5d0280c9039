package io.exogate.gateway.graphql;

import graphql.GraphQLContext;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.security.CallerScope;
import java.util.List;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** {@code accounts}: the caller's tenant's accounts only. */
@Controller
public class AccountController {

	private final Accounts accounts;

	public AccountController(Accounts accounts) {
		this.accounts = accounts;
	}

	@QueryMapping
	public List<AccountView> accounts(GraphQLContext context) {
		return this.accounts.of(CallerScope.tenant(context))
			.stream()
			.map((account) -> new AccountView(account.sid(), account.region(), account.requestsPerMinute(), this.accounts.sandbox()))
			.toList();
	}

	/** An account as GraphQL reads it; no credentials. */
	public record AccountView(String sid, String region, int requestsPerMinute, boolean sandbox) {
	}

}
