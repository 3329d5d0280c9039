package io.exogate.gateway.security;

import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.JwkSetUriReactiveJwtDecoderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * How bearer tokens are checked, beyond what Spring Boot configures from
 * {@code spring.security.oauth2.resourceserver.jwt.*} (signature by the issuer's JWK set, issuer,
 * audience): their lifetime ({@link TokenLifetime}), and a bounded fetch of the JWK set
 * ({@link JwkSetFetch}). Tokens are accepted only with both {@value #ISSUER_URI} and
 * {@value #JWK_SET_URI} set ({@link #requireIssuerAndKeys}): without the first any issuer would
 * pass, and without the second the keys would be found through the issuer's discovery document,
 * lazily and without the fetch's bounds.
 */
@Configuration(proxyBeanMethods = false)
public class TokenValidation {

	static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	static final String JWK_SET_URI = "spring.security.oauth2.resourceserver.jwt.jwk-set-uri";

	static final String PUBLIC_KEY_LOCATION = "spring.security.oauth2.resourceserver.jwt.public-key-location";

	@Bean
	TokenLifetime tokenLifetime(Clock clock) {
		return new TokenLifetime(clock);
	}

	@Bean
	JwkSetUriReactiveJwtDecoderBuilderCustomizer jwkSetFetch(Clock clock) {
		JwkSetFetch fetch = new JwkSetFetch(clock);
		return (builder) -> builder.webClient(fetch.webClient());
	}

	/** The token decoder refuses a token whose keys could not be fetched, rather than failing the request. */
	@Bean
	static BeanPostProcessor unavailableKeysRefuseTheToken() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof ReactiveJwtDecoder decoder) ? JwkSetFetch.refusingUnavailable(decoder) : bean;
			}

		};
	}

	/**
	 * Checks at start, when tokens are accepted, that their issuer and its JWK set are configured.
	 * @throws IllegalStateException naming the property to set, never a value
	 */
	static void requireIssuerAndKeys(Environment environment) {
		if (!StringUtils.hasText(environment.getProperty(ISSUER_URI))) {
			throw new IllegalStateException("A tenant names a jwt claim but " + ISSUER_URI + " is not set: set it to the"
					+ " issuer tokens must name in their iss claim (tokens from any issuer would pass otherwise)");
		}
		if (!StringUtils.hasText(environment.getProperty(JWK_SET_URI))) {
			throw new IllegalStateException("A tenant names a jwt claim but " + JWK_SET_URI + " is not set: set it to the"
					+ " issuer's JWK set URL (its keys are not looked up through " + ISSUER_URI + ")");
		}
		if (StringUtils.hasText(environment.getProperty(PUBLIC_KEY_LOCATION))) {
			throw new IllegalStateException(PUBLIC_KEY_LOCATION + " is set but not used: token keys come from " + JWK_SET_URI
					+ "; remove it");
		}
	}

}
