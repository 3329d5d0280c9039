package io.exogate.gateway.webhook;

import io.exogate.gateway.http.PublicBaseUrl;
import java.net.URI;
import org.springframework.core.env.Environment;

/**
 * The URLs Exotel is given for its callbacks to the gateway:
 * {@code <public base>/webhooks/exotel/<account>/status?secret=…} and {@code …/export?secret=…}, on
 * {@link PublicBaseUrl}. They carry the account's secret: never log one; {@link #masked(String)} is
 * what may be shown of it.
 */
public final class WebhookLinks {

	/** Where every webhook is served. */
	public static final String PREFIX = "/webhooks/exotel/";

	/** The status callback's path pattern. */
	public static final String STATUS = PREFIX + "{account}/status";

	/** The export callback's path pattern. */
	public static final String EXPORT = PREFIX + "{account}/export";

	private final WebhookSecrets secrets;

	private final Environment environment;

	public WebhookLinks(WebhookSecrets secrets, Environment environment) {
		this.secrets = secrets;
		this.environment = environment;
	}

	/** The account's status callback URL, or {@code null} when the account has no callback secret. */
	public URI status(String account) {
		return link(account, "status");
	}

	/** The account's export callback URL, or {@code null} when the account has no callback secret. */
	public URI export(String account) {
		return link(account, "export");
	}

	/** What may be shown of a webhook URL: everything but its query, which holds the secret. */
	public static String masked(String url) {
		int query = url.indexOf('?');
		return (query < 0) ? url : url.substring(0, query) + "?secret=…";
	}

	private URI link(String account, String kind) {
		String secret = this.secrets.secret(account);
		if (secret == null) {
			return null;
		}
		return URI.create(PublicBaseUrl.of(this.environment) + PREFIX + account + "/" + kind + "?secret=" + secret);
	}

}
