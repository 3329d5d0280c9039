package io.exogate.sandbox;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.netty.http.server.HttpServerRequest;

/** A route's condition for {@code HttpServerRoutes}: the methods it takes and a pattern over the decoded path. */
final class Route implements Predicate<HttpServerRequest> {

	private final Pattern path;

	private final Set<HttpMethod> methods;

	private Route(Pattern path, Set<HttpMethod> methods) {
		this.path = path;
		this.methods = methods;
	}

	/** A route taking any method on the decoded paths {@code regex} matches. */
	static Route path(String regex) {
		return new Route(Pattern.compile(regex), Set.of());
	}

	/** The same paths, taking only these methods. */
	Route with(HttpMethod... methods) {
		return new Route(this.path, Set.of(methods));
	}

	// Not HttpServerRoutes#get(String, ...): its templates match the raw URI, cut the query at the last '?',
	// let {var} match an empty segment, read '.' as any character, and take one method, leaving 405 nowhere.
	@Override
	public boolean test(HttpServerRequest request) {
		if (!this.methods.isEmpty() && !this.methods.contains(request.method())) {
			return false;
		}
		String decoded;
		try {
			decoded = new QueryStringDecoder(request.uri()).path();
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape: no route takes it, and the last one answers the failure.
			return false;
		}
		return this.path.matcher(decoded).matches();
	}

	/** The pattern's groups in a decoded path this route took. */
	MatchResult match(String decodedPath) {
		Matcher matcher = this.path.matcher(decodedPath);
		if (!matcher.matches()) {
			throw new IllegalStateException(decodedPath + " does not match " + this.path);
		}
		return matcher.toMatchResult();
	}

}
