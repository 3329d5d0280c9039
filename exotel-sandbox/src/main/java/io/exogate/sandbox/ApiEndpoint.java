package io.exogate.sandbox;

import io.netty.handler.codec.http.HttpMethod;

/**
 * One API endpoint as the gate sees it.
 *
 * @param dialect whose faults, budget and error envelope apply
 * @param method the documented method; others answer 405
 * @param key its counter in {@link Stats}
 * @param path the decoded paths it serves, the account SID in the first group
 */
record ApiEndpoint(Dialect dialect, HttpMethod method, String key, Route path) {

	static ApiEndpoint get(Dialect dialect, String key, String path) {
		return new ApiEndpoint(dialect, HttpMethod.GET, key, Route.path(path));
	}

	static ApiEndpoint post(Dialect dialect, String key, String path) {
		return new ApiEndpoint(dialect, HttpMethod.POST, key, Route.path(path));
	}

}
