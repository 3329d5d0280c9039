package io.exogate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The GraphiQL page's policy and the WebSocket origin it names for a public base URL. */
class GraphiQlPageTest {

	@Test
	void thePolicyAllowsThisOriginOnly() {
		assertThat(GraphiQlPage.contentSecurityPolicy(null)).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self';"
				+ " font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
				+ " form-action 'none'");
	}

	@Test
	void aPublicBaseUrlAddsItsWebSocketOrigin() {
		assertThat(GraphiQlPage.contentSecurityPolicy("https://calls.example.com/")).contains("connect-src 'self' wss://calls.example.com;");
		assertThat(GraphiQlPage.webSocketOrigin("http://10.0.0.5:8080/base")).isEqualTo("ws://10.0.0.5:8080");
		assertThat(GraphiQlPage.webSocketOrigin("HTTPS://Calls.Example.com:8443")).isEqualTo("wss://Calls.Example.com:8443");
		assertThat(GraphiQlPage.webSocketOrigin("ftp://calls.example.com")).isNull();
		assertThat(GraphiQlPage.webSocketOrigin("calls.example.com")).isNull();
		assertThat(GraphiQlPage.webSocketOrigin("http://exa mple.com")).isNull();
		assertThat(GraphiQlPage.webSocketOrigin(" ")).isNull();
		assertThat(GraphiQlPage.webSocketOrigin(null)).isNull();
	}

	@Test
	void inlineScriptsAreFoundForTheirHashes() {
		assertThat(GraphiQlPage.inlineScripts("<script src=\"/a.js\"></script><script type=\"module\">go()</script><script>\nb()\n</script>"))
			.containsExactly("go()", "\nb()\n");
		assertThat(GraphiQlPage.nonce()).matches("[A-Za-z0-9+/]{24}").isNotEqualTo(GraphiQlPage.nonce());
	}

}
