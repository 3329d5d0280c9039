package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The start refuses to accept tokens without their issuer and its JWK set, naming the property and never its value. */
class TokenValidationTest {

	static final String ISSUER = "https://issuer.acme.example/";

	static final String JWKS = "https://issuer.acme.example/keys";

	@Test
	void bothTheIssuerAndItsJwkSetAreEnough() {
		assertThatNoException().isThrownBy(() -> TokenValidation.requireIssuerAndKeys(environment(ISSUER, JWKS)));
	}

	@Test
	void aJwkSetWithoutIssuerIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> TokenValidation.requireIssuerAndKeys(environment(null, JWKS)))
			.withMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri is not set")
			.withMessageNotContaining(JWKS);
		assertThatIllegalStateException().isThrownBy(() -> TokenValidation.requireIssuerAndKeys(environment(" ", JWKS)))
			.withMessageContaining("spring.security.oauth2.resourceserver.jwt.issuer-uri is not set");
	}

	@Test
	void anIssuerWithoutJwkSetIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> TokenValidation.requireIssuerAndKeys(environment(ISSUER, null)))
			.withMessageContaining("spring.security.oauth2.resourceserver.jwt.jwk-set-uri is not set")
			.withMessageNotContaining(ISSUER);
	}

	@Test
	void aPublicKeyLocationIsRefusedAsUnused() {
		MockEnvironment environment = environment(ISSUER, JWKS)
			.withProperty("spring.security.oauth2.resourceserver.jwt.public-key-location", "classpath:issuer.pub");
		assertThatIllegalStateException().isThrownBy(() -> TokenValidation.requireIssuerAndKeys(environment))
			.withMessageContaining("spring.security.oauth2.resourceserver.jwt.public-key-location is set but not used")
			.withMessageNotContaining("issuer.pub")
			.withMessageNotContaining(JWKS);
	}

	private static MockEnvironment environment(String issuer, String jwkSet) {
		MockEnvironment environment = new MockEnvironment();
		if (issuer != null) {
			environment.setProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer);
		}
		if (jwkSet != null) {
			environment.setProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", jwkSet);
		}
		return environment;
	}

}
