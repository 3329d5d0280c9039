package io.exogate.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.exogate.model.error.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ExportCallbacksTest {

	private static final String HOOKS = "hooks.acme.example";

	private static final List<String> ROOT = List.of("https://hooks.acme.example/");

	private static final List<String> EXOTEL = List.of("https://hooks.acme.example/exotel");

	private final FakeResolver resolver = new FakeResolver(Map.of(HOOKS, List.of(address("203.0.113.10")),
			"xn--bcher-kva.example", List.of(address("203.0.113.11"))));

	private final ExportCallbacks callbacks = new ExportCallbacks(this.resolver);

	@Test
	void acceptsAUrlEqualToThePrefixAfterResolvingItsHost() {
		accepted("https://hooks.acme.example/", ROOT, "https://hooks.acme.example/");
		accepted("https://hooks.acme.example", ROOT, "https://hooks.acme.example/");
		assertThat(this.resolver.asked).containsOnly(HOOKS);
	}

	@Test
	void acceptsPathsUnderThePrefixOnlyAtASegmentBoundary() {
		accepted("https://hooks.acme.example/exotel", EXOTEL, "https://hooks.acme.example/exotel");
		accepted("https://hooks.acme.example/exotel/done?job=7", EXOTEL, "https://hooks.acme.example/exotel/done?job=7");
		accepted("https://hooks.acme.example/exotel/x", List.of("https://hooks.acme.example/exotel/"),
				"https://hooks.acme.example/exotel/x");
		refused("https://hooks.acme.example/exotelevil", EXOTEL, "is not under an allowed prefix");
		refused("https://hooks.acme.example/other/exotel", EXOTEL, "is not under an allowed prefix");
		refused("https://hooks.acme.example/Exotel", EXOTEL, "is not under an allowed prefix");
	}

	@Test
	void theMismatchMessageNamesOnlyTheSchemeHostAndPortOfEachPrefix() {
		refused("https://hooks.acme.example/other",
				List.of("https://hooks.acme.example/exotel", "https://b.acme.example/x", "https://hooks.acme.example/other-path",
						"http://b.acme.example:8080/y"),
				"this tenant's prefixes are on https://hooks.acme.example, https://b.acme.example, http://b.acme.example:8080"
						+ " (their paths are not shown)");
	}

	@Test
	void theMismatchMessageNeverShowsAPrefixsPath() {
		String token = "t0k3n-7f2c9e41";
		BadRequestException refusal = refusal("https://hooks.acme.example/other",
				List.of("https://hooks.acme.example/exotel/" + token + "/", "https://Hooks.ACME.example:443/" + token), false);
		assertThat(refusal.getMessage()).contains("https://hooks.acme.example, https://hooks.acme.example:443")
			.doesNotContain(token, "/exotel");
	}

	@Test
	void hostsCompareWithoutCaseTrailingDotOrUnicodeSpelling() {
		accepted("HTTPS://Hooks.ACME.example./exotel/x", EXOTEL, "https://hooks.acme.example/exotel/x");
		accepted("https://hooks.acme.example/x", List.of("https://HOOKS.acme.example./"), "https://hooks.acme.example/x");
		accepted("https://bücher.example/x", List.of("https://xn--bcher-kva.example/"), "https://xn--bcher-kva.example/x");
		accepted("https://xn--bcher-kva.example/x", List.of("https://Bücher.example/"), "https://xn--bcher-kva.example/x");
		assertThat(this.resolver.asked).containsOnly(HOOKS, "xn--bcher-kva.example");
	}

	@Test
	void refusesAnotherPortButKnowsTheDefaultOne() {
		refused("https://hooks.acme.example:8443/", ROOT, "is not under an allowed prefix");
		refused("https://hooks.acme.example/", List.of("https://hooks.acme.example:8443/"), "is not under an allowed prefix");
		accepted("https://hooks.acme.example:443/x", ROOT, "https://hooks.acme.example:443/x");
		accepted("http://hooks.acme.example/x", List.of("http://hooks.acme.example:80/"), "http://hooks.acme.example/x");
		refused("https://hooks.acme.example:0/", ROOT, "port between 1 and 65535");
		refused("https://hooks.acme.example:65536/", ROOT, "port between 1 and 65535");
		refused("https://hooks.acme.example:/", ROOT, "port between 1 and 65535");
	}

	@Test
	void refusesAnotherSchemeAndAnythingButHttp() {
		refused("http://hooks.acme.example/", ROOT, "is not under an allowed prefix");
		refused("ftp://hooks.acme.example/", ROOT, "must use http or https");
		refused("file:///etc/passwd", ROOT, "must use http or https");
		refused("mailto:ops@acme.example", ROOT, "is not an absolute http or https URL");
		refused("//hooks.acme.example/", ROOT, "is not an absolute http or https URL");
		refused("https:/exotel", ROOT, "must name a host");
	}

	@Test
	void refusesAHostThatOnlyStartsWithTheAllowedOne() {
		List<String> bare = List.of("https://hooks.acme.example");
		refused("https://hooks.acme.example.evil.com/", bare, "is not under an allowed prefix");
		refused("https://hooks.acme.examplе/", bare, "is not under an allowed prefix");
		refused("https://evil.example/https://hooks.acme.example/", bare, "is not under an allowed prefix");
		assertThat(this.resolver.asked).isEmpty();
	}

	@Test
	void refusesUserInformation() {
		refused("https://hooks.acme.example@evil.example/", ROOT, "must not carry user information");
		refused("https://hooks.acme.example:443@evil.example/", ROOT, "must not carry user information");
		refused("https://user:secret@hooks.acme.example/", ROOT, "must not carry user information");
	}

	@Test
	void refusesPathsThatClimbOutOfThePrefix() {
		refused("https://hooks.acme.example/exotel/../admin", EXOTEL, "is not under an allowed prefix");
		refused("https://hooks.acme.example/exotel/./../admin", EXOTEL, "is not under an allowed prefix");
		refused("https://hooks.acme.example/../exotel/x", EXOTEL, "climbs above the root");
		refused("https://hooks.acme.example/exotel/%2e%2e/admin", EXOTEL, "must not percent-encode");
		refused("https://hooks.acme.example/exotel/%2E./admin", EXOTEL, "must not percent-encode");
		refused("https://hooks.acme.example/exotel%2f..%2fadmin", EXOTEL, "must not percent-encode");
		refused("https://hooks.acme.example/exotel/..%5cadmin", EXOTEL, "must not percent-encode");
		refused("https://hooks.acme.example/exotel/%252e%252e/admin", EXOTEL, "must not percent-encode");
		refused("https://hooks.acme.example/exotel/..;/admin", EXOTEL, "dot segments with parameters");
		refused("https://hooks.acme.example/exotel/a\\..\\..\\admin", EXOTEL, "is not a valid URI");
	}

	@Test
	void handsOnTheNormalisedPath() {
		accepted("https://hooks.acme.example/exotel/a/../b/./c", EXOTEL, "https://hooks.acme.example/exotel/b/c");
	}

	@Test
	void refusesFragmentsAndMalformedText() {
		refused("https://hooks.acme.example/exotel#x", EXOTEL, "must not have a fragment");
		refused("https://hooks.acme.example/exotel#", EXOTEL, "must not have a fragment");
		refused("https://hooks.acme.example/ex otel", EXOTEL, "is not a valid URI");
		refused("https://hooks_acme.example/", ROOT, "not a valid host name");
		refused("https://%68ooks.acme.example/", ROOT, "not a valid host name");
		refused("https://[fe80::1%25eth0]/", List.of("https://[fe80::1%25eth0]/"), "zone");
		refused("  ", ROOT, "callbackUrl is required");
		refused(null, ROOT, "callbackUrl is required");
	}

	@Test
	void refusesAnOverLongUrlWithABoundedMessage() {
		String url = "https://hooks.acme.example/exotel/" + "a".repeat(CallbackUrl.MAX_LENGTH);
		BadRequestException refusal = refusal(url, EXOTEL, false);
		assertThat(refusal.getMessage()).contains("longer than 2048 characters").contains("…").hasSizeLessThan(250);
		accepted("https://hooks.acme.example/exotel/" + "a".repeat(CallbackUrl.MAX_LENGTH - 34), EXOTEL,
				"https://hooks.acme.example/exotel/" + "a".repeat(CallbackUrl.MAX_LENGTH - 34));
	}

	@Test
	void aRefusalQuotesNoControlCharacters() {
		BadRequestException refusal = refusal("https://hooks.acme.example/\u0000\n\u001b[2J\u202e", ROOT, false);
		assertThat(refusal.getMessage()).contains("is not a valid URI").doesNotContain("\u0000", "\n", "\u001b", "\u202e");
	}

	@ParameterizedTest
	@ValueSource(strings = { "169.254.169.254", "127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.0.1", "172.31.255.255",
			"100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "[::1]", "[::]",
			"[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:a00:1]", "[::127.0.0.1]", "[fc00::1]",
			"[fd12:3456::1]", "[fe80::1]", "[ff02::1]", "[64:ff9b::a00:1]", "[2002:c0a8:101::]", "[2001::1]",
			"[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001:0:ffff:ffff:ffff:ffff:ffff:ffff]", "[2001:db8::1]",
			"[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]", "[::ffff:0:7f00:1]", "[::ffff:0:5db8:d822]",
			"[::ffff:0:0.0.0.0]" })
	void refusesPrivateAddressLiteralsWithoutResolvingThem(String host) {
		List<String> allowed = List.of("http://" + host + "/");
		refused("http://" + host + "/cb", allowed, "points at");
		assertThat(this.resolver.asked).isEmpty();
		accepted("http://" + host + "/cb", allowed, true, "http://" + host + "/cb");
	}

	@Test
	void namesTeredoDocumentationAndIpv4TranslatedAddressesForWhatTheyAre() {
		String teredo = "[2001:0:4136:e378:8000:63bf:3fff:fdd2]";
		refused("http://" + teredo + "/cb", List.of("http://" + teredo + "/"), "points at a Teredo (2001::/32) address");
		refused("http://[2001:db8::1]/cb", List.of("http://[2001:db8::1]/"), "points at a documentation (2001:db8::/32) address");
		refused("http://[::ffff:0:5db8:d822]/cb", List.of("http://[::ffff:0:5db8:d822]/"),
				"points at an IPv4-translated (::ffff:0:0:0/96) address");
		FakeResolver tunnelled = new FakeResolver(Map.of(HOOKS, List.of(address("2001:0:4136:e378:8000:63bf:3fff:fdd2"))));
		new ExportCallbacks(tunnelled).check("https://hooks.acme.example/x", ROOT, false)
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BadRequestException.class)
				.hasMessageContaining("resolves to a Teredo (2001::/32) address"))
			.verify();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "LocalHost.", "foo.localhost", "metadata.google.internal", "db.internal",
			"printer.local", "box.localdomain", "metadata", "ｌｏｃａｌｈｏｓｔ" })
	void refusesPrivateHostNamesWithoutResolvingThem(String host) {
		List<String> allowed = List.of("http://" + host + "/");
		refused("http://" + host + "/cb", allowed, "points at");
		assertThat(this.resolver.asked).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.0.01", "0x7f.0.0.1",
			"127.0.0.0x1", "1.2.3.4.5", "256.1.1.1", "hooks.acme.123", "[::ffff:0177.0.0.1]" })
	void refusesNonCanonicalNumericHostsEvenWhenPrivateTargetsAreAllowed(String host) {
		List<String> allowed = List.of("http://" + host + "/");
		refused("http://" + host + "/cb", allowed, false, "canonical");
		refused("http://" + host + "/cb", allowed, true, "canonical");
		assertThat(this.resolver.asked).isEmpty();
	}

	@Test
	void readsFullWidthDigitsAndDotsAsTheAddressTheySpell() {
		refused("http://１２７。０．０｡１/cb", List.of("http://127.0.0.1/"), "points at a loopback address");
		accepted("http://１２７。０．０｡１/cb", List.of("http://127.0.0.1/"), true, "http://127.0.0.1/cb");
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
			"169.253.255.255", "[2606:4700::1111]", "[::ffff:93.184.216.34]", "[2002:5db8:d822::]",
			"[2001:db7:ffff::1]", "[2001:db9::1]", "[2001:4860:4860::8888]" })
	void acceptsPublicAddressLiteralsWithoutResolvingThem(String host) {
		accepted("https://" + host + "/cb", List.of("https://" + host + "/"), "https://" + host + "/cb");
		assertThat(this.resolver.asked).isEmpty();
	}

	@Test
	void refusesANameWithAnyPrivateAddress() {
		FakeResolver mixed = new FakeResolver(Map.of(HOOKS, List.of(address("203.0.113.10"), address("10.0.0.5"))));
		new ExportCallbacks(mixed).check("https://hooks.acme.example/x", ROOT, false)
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BadRequestException.class)
				.hasMessageContaining("resolves to a private (RFC 1918) address")
				.hasMessageNotContaining("10.0.0.5"))
			.verify();
		FakeResolver mapped = new FakeResolver(Map.of(HOOKS, List.of(address("::1"))));
		new ExportCallbacks(mapped).check("https://hooks.acme.example/x", ROOT, false)
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> assertThat(error).hasMessageContaining("resolves to a loopback address"))
			.verify();
	}

	@Test
	void aNameThatResolvesPrivatelyIsAcceptedWhenPrivateTargetsAreAllowed() {
		FakeResolver internal = new FakeResolver(Map.of(HOOKS, List.of(address("10.0.0.5"))));
		new ExportCallbacks(internal).check("https://hooks.acme.example/x", ROOT, true)
			.as(StepVerifier::create)
			.expectNext(URI.create("https://hooks.acme.example/x"))
			.verifyComplete();
		assertThat(internal.asked).isEmpty();
	}

	@Test
	void acceptsANameThatCannotBeResolved() {
		accepted("https://unknown.acme.example/x", List.of("https://unknown.acme.example/"), "https://unknown.acme.example/x");
		assertThat(this.resolver.asked).containsExactly("unknown.acme.example");
		ExportCallbacks empty = new ExportCallbacks((host) -> Mono.empty());
		empty.check("https://hooks.acme.example/x", ROOT, false)
			.as(StepVerifier::create)
			.expectNext(URI.create("https://hooks.acme.example/x"))
			.verifyComplete();
		ExportCallbacks throwing = new ExportCallbacks((host) -> {
			throw new IllegalStateException("resolver broken");
		});
		throwing.check("https://hooks.acme.example/x", ROOT, false)
			.as(StepVerifier::create)
			.expectNext(URI.create("https://hooks.acme.example/x"))
			.verifyComplete();
	}

	@Test
	void acceptsANameWhoseResolutionTimesOutAfterTwoSeconds() {
		ExportCallbacks hanging = new ExportCallbacks((host) -> Mono.never());
		StepVerifier.withVirtualTime(() -> hanging.check("https://hooks.acme.example/x", ROOT, false))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(1999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(URI.create("https://hooks.acme.example/x"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void allowPrivateLetsALoopbackTargetThroughOnlyWhenItIsAllowListed() {
		List<String> local = List.of("http://127.0.0.1:8080/");
		accepted("http://127.0.0.1:8080/cb", local, true, "http://127.0.0.1:8080/cb");
		refused("http://127.0.0.1:8080/cb", local, false, "points at a loopback address");
		refused("http://127.0.0.1:9090/cb", local, true, "is not under an allowed prefix");
		refused("http://localhost:8080/cb", local, true, "is not under an allowed prefix");
		refused("http://127.0.0.1:8080/cb#x", local, true, "must not have a fragment");
	}

	@Test
	void refusesEverythingWithoutAnAllowList() {
		for (List<String> none : Arrays.asList(List.<String>of(), null)) {
			refused("https://hooks.acme.example/", none, false,
					"no export callbacks configured: ask an operator to add exogate.security.tenants[].export-callbacks");
			refused("https://hooks.acme.example/", none, true, "no export callbacks configured");
		}
	}

	@Test
	void aMalformedPrefixMatchesNothing() {
		refused("https://hooks.acme.example/", List.of("hooks.acme.example", "https://user@hooks.acme.example/"), false,
				"is not under an allowed prefix");
		accepted("https://hooks.acme.example/", List.of("not a url", "https://hooks.acme.example/"), "https://hooks.acme.example/");
	}

	@Test
	void nothingIsResolvedBeforeSubscription() {
		Mono<URI> checked = this.callbacks.check("https://hooks.acme.example/", ROOT, false);
		assertThat(this.resolver.asked).isEmpty();
		checked.as(StepVerifier::create).expectNextCount(1).verifyComplete();
		assertThat(this.resolver.asked).containsExactly(HOOKS);
	}

	@Test
	void theJvmResolverRunsOffTheCallingThread() {
		ExportCallbacks.resolveWithJvm("127.0.0.1")
			.map((addresses) -> addresses.get(0).getHostAddress() + " on " + Thread.currentThread().getName())
			.as(StepVerifier::create)
			.assertNext((answer) -> assertThat(answer).startsWith("127.0.0.1 on boundedElastic-"))
			.verifyComplete();
	}

	private void accepted(String url, List<String> allowed, String expected) {
		accepted(url, allowed, false, expected);
	}

	private void accepted(String url, List<String> allowed, boolean allowPrivate, String expected) {
		this.callbacks.check(url, allowed, allowPrivate)
			.as(StepVerifier::create)
			.expectNext(URI.create(expected))
			.verifyComplete();
	}

	private void refused(String url, List<String> allowed, String reason) {
		refused(url, allowed, false, reason);
	}

	private void refused(String url, List<String> allowed, boolean allowPrivate, String reason) {
		assertThat(refusal(url, allowed, allowPrivate).getMessage()).contains(reason);
	}

	private BadRequestException refusal(String url, List<String> allowed, boolean allowPrivate) {
		Throwable[] seen = new Throwable[1];
		this.callbacks.check(url, allowed, allowPrivate)
			.as(StepVerifier::create)
			.expectErrorSatisfies((error) -> seen[0] = error)
			.verify();
		assertThat(seen[0]).isInstanceOf(BadRequestException.class);
		return (BadRequestException) seen[0];
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(literal, ex);
		}
	}

	/** A resolver that answers from a map and remembers what it was asked; an unknown name fails. */
	private static final class FakeResolver implements ExportCallbacks.Resolver {

		private final Map<String, List<InetAddress>> answers;

		final List<String> asked = new CopyOnWriteArrayList<>();

		FakeResolver(Map<String, List<InetAddress>> answers) {
			this.answers = answers;
		}

		@Override
		public Mono<List<InetAddress>> resolve(String host) {
			return Mono.defer(() -> {
				this.asked.add(host);
				List<InetAddress> addresses = this.answers.get(host);
				return (addresses != null) ? Mono.just(addresses) : Mono.error(new UnknownHostException(host));
			});
		}

	}

}
