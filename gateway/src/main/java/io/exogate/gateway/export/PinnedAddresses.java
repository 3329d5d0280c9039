package io.exogate.gateway.export;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves one host name to the addresses it was checked at, and nothing else: the connection goes
 * where the check looked, whatever the name resolves to by then. The URL keeps the name, so the
 * {@code Host} header and TLS (SNI, certificate) still see it.
 */
final class PinnedAddresses extends AddressResolverGroup<InetSocketAddress> {

	private final String host;

	private final List<InetAddress> addresses;

	PinnedAddresses(String host, List<InetAddress> addresses) {
		if (addresses.isEmpty()) {
			throw new IllegalArgumentException("A pinned host needs at least one address");
		}
		this.host = host;
		this.addresses = List.copyOf(addresses);
	}

	/** A resolver of its own each time: nothing to cache, and nothing left registered on the event loop. */
	@Override
	public AddressResolver<InetSocketAddress> getResolver(EventExecutor executor) {
		return newResolver(executor);
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {

			@Override
			protected boolean doIsResolved(InetSocketAddress address) {
				return !address.isUnresolved();
			}

			@Override
			protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
				if (pinned(unresolved)) {
					promise.setSuccess(new InetSocketAddress(PinnedAddresses.this.addresses.get(0), unresolved.getPort()));
				}
				else {
					promise.setFailure(new UnknownHostException("not the checked host"));
				}
			}

			@Override
			protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
				if (pinned(unresolved)) {
					promise.setSuccess(PinnedAddresses.this.addresses.stream()
						.map((address) -> new InetSocketAddress(address, unresolved.getPort()))
						.toList());
				}
				else {
					promise.setFailure(new UnknownHostException("not the checked host"));
				}
			}

		};
	}

	private boolean pinned(InetSocketAddress unresolved) {
		String name = unresolved.getHostString();
		if (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		String host = this.host.endsWith(".") ? this.host.substring(0, this.host.length() - 1) : this.host;
		return name.equalsIgnoreCase(host);
	}

}
