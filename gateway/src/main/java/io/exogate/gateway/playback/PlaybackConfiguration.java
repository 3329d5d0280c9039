package io.exogate.gateway.playback;

import io.exogate.gateway.recording.RecordingService;
import io.exogate.gateway.security.Audit;
import io.exogate.gateway.upstream.UpstreamMode;
import io.exogate.model.port.MediaCredentials;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Playback: the token codec from {@code exogate.playback.*} (a random key per start in demo mode; a
 * missing key refuses the start otherwise), the links handed out as {@code Recording.playbackUrl},
 * the caps on open streams, and the {@code GET}/{@code HEAD /playback/{token}} route with its own
 * connection pool to the media hosts (as many connections as streams may be open; no redirects).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlaybackProperties.class)
public class PlaybackConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(PlaybackConfiguration.class);

	/** How long the media host has to connect and send its headers. */
	static final Duration FIRST_BYTE_TIMEOUT = Duration.ofSeconds(10);

	/** The size of one read from a media host. */
	static final int READ_SIZE = 64 * 1024;

	/** The receive buffer of a connection to a media host. */
	static final int SOCKET_BUFFER = 256 * 1024;

	@Bean
	PlaybackTokens playbackTokens(PlaybackProperties properties, UpstreamMode mode, Clock clock) {
		List<byte[]> keys;
		if (properties.signingKeys().isEmpty()) {
			if (mode != UpstreamMode.DEMO) {
				throw new IllegalStateException("No playback signing key is configured: set exogate.playback.signing-keys"
						+ " (environment: EXOGATE_PLAYBACK_SIGNINGKEYS) to one or more base64 keys of at least "
						+ PlaybackTokens.MIN_KEY_BYTES + " bytes; the first signs, all verify.");
			}
			byte[] key = new byte[PlaybackTokens.MIN_KEY_BYTES];
			new SecureRandom().nextBytes(key);
			keys = List.of(key);
			logger.info("Demo mode: playback links are signed with a random key made at start; they stop working on restart.");
		}
		else {
			keys = properties.signingKeys().stream().map(PlaybackConfiguration::decode).toList();
		}
		return new PlaybackTokens(keys, properties.lifetime(), clock);
	}

	@Bean
	PlaybackLinks playbackLinks(PlaybackTokens tokens, Environment environment) {
		return new PlaybackLinks(tokens, environment);
	}

	@Bean
	PlaybackStreams playbackStreams(PlaybackProperties properties, Clock clock) {
		return new PlaybackStreams(properties.maxStreamsPerToken(), properties.maxStreams(), properties.maxRequestsPerToken(), clock);
	}

	@Bean(destroyMethod = "dispose")
	MediaConnections playbackMediaConnections(PlaybackProperties properties) {
		return new MediaConnections(ConnectionProvider.builder("playback")
			.maxConnections(properties.maxStreams())
			.pendingAcquireMaxCount(properties.maxStreams())
			.pendingAcquireTimeout(FIRST_BYTE_TIMEOUT)
			.maxIdleTime(Duration.ofSeconds(30))
			.build());
	}

	@Bean
	PlaybackHandler playbackHandler(PlaybackTokens tokens, RecordingService recordings, Audit audit, PlaybackProperties properties,
			PlaybackStreams streams, MediaConnections connections, ObjectProvider<MediaCredentials> credentials) {
		HttpClient http = HttpClient.create(connections.provider())
			.followRedirect(false)
			// No read timeout: a client reading slowly pauses reads upstream; the stall guard times the body instead.
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) FIRST_BYTE_TIMEOUT.toMillis())
			// Bounded reads and socket buffer: what a paused client leaves in flight per stream is this buffer, one read and
			// the server's write buffer. Reads of 64 KB rather than 16 KB halve the work per byte streamed.
			.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_SIZE))
			.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER);
		WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		return new PlaybackHandler(tokens, recordings, audit, client, FIRST_BYTE_TIMEOUT,
				credentials.getIfAvailable(() -> (account, url) -> Optional.empty()), streams, properties.stallTimeout(),
				Schedulers.parallel());
	}

	@Bean
	SlotRelease playbackSlotRelease() {
		return new SlotRelease();
	}

	@Bean
	RouterFunction<ServerResponse> playbackRoutes(PlaybackHandler handler) {
		return RouterFunctions.route(
				RequestPredicates.GET(PlaybackLinks.PATH + "/{token}").or(RequestPredicates.HEAD(PlaybackLinks.PATH + "/{token}")),
				handler::serve);
	}

	/** The playback's own pool of connections to the media hosts, closed with the application. */
	record MediaConnections(ConnectionProvider provider) {

		void dispose() {
			this.provider.dispose();
		}

	}

	private static byte[] decode(String key) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(key.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("A key in exogate.playback.signing-keys is not base64");
		}
		if (bytes.length < PlaybackTokens.MIN_KEY_BYTES) {
			throw new IllegalStateException("A key in exogate.playback.signing-keys has " + bytes.length + " bytes; at least "
					+ PlaybackTokens.MIN_KEY_BYTES + " are needed");
		}
		return bytes;
	}

}
