package io.exogate.gateway.security;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.exogate.gateway.http.ClientText;
import io.exogate.model.error.BadRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether an export's callback URL may receive a tenant's recordings.
 *
 * <p>Exotel POSTs a signed download link for a ZIP of recorded calls to the callback, so a URL is
 * accepted only when
 * <ol>
 * <li>it is an absolute http(s) URL of at most 2048 characters with a
 * host, and has no user information, no fragment, no numeric host other than a canonical dotted
 * quad, and no path that a server could read as climbing out of it ({@code ..}, {@code ..;},
 * percent-encoded dots, slashes, backslashes or percent signs);</li>
 * <li>it lies under one of the tenant's allowed prefixes, compared piece by piece, never as text:
 * same scheme, same host (case, IDN and a trailing dot aside), same effective port, and a path
 * equal to the prefix's or below it at a segment boundary;</li>
 * <li>unless private targets are allowed, its host is neither an IP literal in a loopback, private,
 * link-local, unspecified, multicast, CGNAT or other non-public range (IPv4-mapped, NAT64 and 6to4
 * forms included), nor a private name ({@code localhost}, {@code *.localhost}, {@code *.local},
 * {@code *.internal}, a single label, ...), nor a name any of whose resolved addresses is such.</li>
 * </ol>
 *
 * <p>Names are resolved off the calling thread, within {@link #RESOLVE_TIMEOUT}; IP literals never
 * are. For a URL handed to Exotel ({@link #check}), a name that cannot be resolved, or not in time,
 * is accepted: Exotel resolves it again when it delivers, from its own network, and the allow-list
 * already pins the host to one the tenant's operator chose. For the gateway's own delivery
 * ({@link #destination}) it is refused, and the addresses checked are the ones to connect to. The URL handed back is the checked one, normalised, so what Exotel is given is
 * exactly what was compared.
 *
 * <p>Refusals end up in the audit trail: they quote the client's URL without its query, fragment or
 * user information, and name only the scheme, host and port of the tenant's prefixes, never their
 * paths, which may hold a token the receiver checks.
 */
public final class ExportCallbacks {

	/** How long a host name may take to resolve before it is accepted unresolved. */
	public static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(2);

	private static final int MAX_ECHO = 100;

	private final Resolver resolver;

	/** Checks with the JVM's resolver, run on the bounded elastic scheduler. */
	public ExportCallbacks() {
		this(ExportCallbacks::resolveWithJvm);
	}

	public ExportCallbacks(Resolver resolver) {
		this.resolver = resolver;
	}

	/**
	 * The URL to hand Exotel, or a {@link BadRequestException} saying what to change. Nothing is
	 * checked or resolved before subscription.
	 * @param callbackUrl the client's URL
	 * @param allowedPrefixes the tenant's configured prefixes; one that is not itself a valid URL
	 * matches nothing
	 * @param allowPrivate whether private and loopback targets are allowed (the allow-list still
	 * applies)
	 */
	public Mono<URI> check(String callbackUrl, List<String> allowedPrefixes, boolean allowPrivate) {
		return checked(callbackUrl, allowedPrefixes, allowPrivate, false).map(Destination::uri);
	}

	/**
	 * Where the gateway itself may deliver to the callback: checked as {@link #check}, except that the
	 * host must resolve within {@link #RESOLVE_TIMEOUT} (nobody resolves it again later) and the
	 * addresses checked are handed back, to connect to those and no others, so that a name resolving
	 * elsewhere by the time of the connection (DNS rebinding) is never followed. With private targets
	 * allowed the addresses are resolved but not checked. A {@link BadRequestException} otherwise.
	 */
	public Mono<Destination> destination(String callbackUrl, List<String> allowedPrefixes, boolean allowPrivate) {
		return checked(callbackUrl, allowedPrefixes, allowPrivate, true);
	}

	private Mono<Destination> checked(String callbackUrl, List<String> allowedPrefixes, boolean allowPrivate, boolean resolve) {
		return Mono.defer(() -> {
			if (allowedPrefixes == null || allowedPrefixes.isEmpty()) {
				return Mono.error(new BadRequestException("This tenant has no export callbacks configured: "
						+ "ask an operator to add exogate.security.tenants[].export-callbacks."));
			}
			if (callbackUrl == null || callbackUrl.isBlank()) {
				return Mono.error(new BadRequestException("callbackUrl is required."));
			}
			CallbackUrl url;
			try {
				url = CallbackUrl.parse(callbackUrl);
			}
			catch (IllegalArgumentException ex) {
				return Mono.error(refusal(callbackUrl, ex.getMessage()));
			}
			if (!underAny(url, allowedPrefixes)) {
				return Mono.error(refusal(callbackUrl, "is not under an allowed prefix (same scheme, host and port, "
						+ "path at a segment boundary); this tenant's prefixes are on " + origins(allowedPrefixes)
						+ " (their paths are not shown)"));
			}
			if (!allowPrivate) {
				String refused = (url.address() != null) ? PrivateAddresses.refused(url.address())
						: PrivateAddresses.refused(url.host());
				if (refused != null) {
					return Mono.error(refusal(callbackUrl, "points at " + refused + "; use a publicly reachable host"));
				}
			}
			if (url.address() != null) {
				return Mono.just(new Destination(url.toUri(), List.of(url.address())));
			}
			if (allowPrivate && !resolve) {
				return Mono.just(new Destination(url.toUri(), List.of()));
			}
			return resolved(url.host()).flatMap((addresses) -> {
				List<InetAddress> found = addresses.stream().filter(Objects::nonNull).toList();
				if (found.isEmpty() && resolve) {
					return Mono.error(refusal(callbackUrl, "names a host that could not be resolved within "
							+ RESOLVE_TIMEOUT.toSeconds() + " seconds"));
				}
				if (!allowPrivate) {
					for (InetAddress address : found) {
						String why = PrivateAddresses.refused(address);
						if (why != null) {
							return Mono.error(refusal(callbackUrl,
									"names a host that resolves to " + why + "; use a publicly reachable host"));
						}
					}
				}
				return Mono.just(new Destination(url.toUri(), found));
			});
		});
	}

	/**
	 * A checked callback: its URL, and the addresses its host was checked at (the literal's, or those
	 * resolved; none when nothing was resolved).
	 */
	public record Destination(URI uri, List<InetAddress> addresses) {

		public Destination {
			addresses = List.copyOf(addresses);
		}

	}

	/** The host's addresses, or none when it cannot be resolved in time. */
	private Mono<List<InetAddress>> resolved(String host) {
		return Mono.defer(() -> this.resolver.resolve(host))
			.timeout(RESOLVE_TIMEOUT)
			.onErrorReturn(List.of())
			.defaultIfEmpty(List.of());
	}

	private static boolean underAny(CallbackUrl url, List<String> prefixes) {
		for (String prefix : prefixes) {
			try {
				if (prefix != null && url.isUnder(CallbackUrl.parse(prefix))) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				// A malformed prefix matches nothing.
			}
		}
		return false;
	}

	/**
	 * The scheme, host and port of each prefix, once each: a refusal names no prefix's path, which may
	 * hold a token the receiver treats as a secret, and ends up in the audit trail.
	 */
	private static String origins(List<String> prefixes) {
		Set<String> origins = new LinkedHashSet<>();
		for (String prefix : prefixes) {
			try {
				if (prefix != null) {
					CallbackUrl url = CallbackUrl.parse(prefix);
					origins.add(url.scheme() + "://" + url.host() + ((url.port() != -1) ? ":" + url.port() : ""));
				}
			}
			catch (IllegalArgumentException ex) {
				// A malformed prefix matches nothing, and is not named.
			}
		}
		return origins.isEmpty() ? "no valid URL" : String.join(", ", origins);
	}

	private static BadRequestException refusal(String callbackUrl, String reason) {
		return new BadRequestException("callbackUrl '" + ClientText.excerpt(withoutSecrets(callbackUrl), MAX_ECHO) + "' " + reason + ".");
	}

	/**
	 * The URL as a refusal quotes it: its query and fragment, where the receiver's secret goes, and any
	 * user information cut to {@code …}; refusals end up in the audit trail.
	 */
	static String withoutSecrets(String url) {
		String shown = url;
		int query = indexOfAny(shown, "?#", 0);
		if (query >= 0) {
			shown = shown.substring(0, query + 1) + "…";
		}
		int authority = shown.indexOf("//");
		if (authority >= 0) {
			int end = indexOfAny(shown, "/\\?#", authority + 2);
			int at = shown.lastIndexOf('@', (end >= 0) ? end : shown.length());
			if (at > authority) {
				shown = shown.substring(0, authority + 2) + "…" + shown.substring(at);
			}
		}
		return shown;
	}

	private static int indexOfAny(String text, String characters, int from) {
		for (int i = from; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	/** The JVM's resolver, on the bounded elastic scheduler: lookups block. */
	static Mono<List<InetAddress>> resolveWithJvm(String host) {
		return Mono.fromCallable(() -> List.of(InetAddress.getAllByName(host)))
			.subscribeOn(Schedulers.boundedElastic())
			.timeout(RESOLVE_TIMEOUT);
	}

	/** Resolves a host name to its addresses; the default one uses the JVM's resolver off the event loop with a 2 s timeout. */
	@FunctionalInterface
	public interface Resolver {

		Mono<List<InetAddress>> resolve(String host);

	}

}
