package io.exogate.gateway.persisted;

import io.exogate.gateway.http.GraphQlRequestGuard;
import io.exogate.gateway.http.GraphQlRequestGuard.ReadRequest;
import io.exogate.gateway.http.Refusal;
import io.exogate.gateway.logging.LogLimiter;
import io.exogate.gateway.security.Caller;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.core.Authentication;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Persisted operations on the GraphQL endpoint, after Spring Security: a request that names its
 * document by hash ({@code extensions.persistedQuery.sha256Hash}, Apollo's automatic persisted
 * queries, or {@code documentId}) goes on with the document filled in as {@code query}, the rest of
 * the body unchanged. In {@linkplain #automatic automatic} mode a client registers a document by
 * sending it with its hash, kept per tenant; in {@linkplain #trusted trusted} mode only the
 * manifest's documents run; {@linkplain #off off}, documents are only ever sent in full.
 */
public final class PersistedDocuments implements WebFilter, Ordered {

	/** After Spring Security's filter chain (-100): only callers it let through are resolved, or register a document. */
	public static final int ORDER = 0;

	static final String NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND";

	static final String NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED";

	static final String HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH";

	static final String NOT_TRUSTED = "OPERATION_NOT_TRUSTED";

	static final String BAD_REQUEST = "BAD_REQUEST";

	/** The message of {@value #NOT_TRUSTED}, on every transport. */
	static final String NOT_TRUSTED_MESSAGE = "this gateway runs trusted documents only: send a documentId from its manifest";

	/**
	 * The longest document kept, in characters: a longer one runs but is not kept (asked for by hash
	 * alone, it is not found, and the client sends it again), so that what a client can make the store
	 * hold stays bounded.
	 */
	static final int MAX_KEPT_LENGTH = 8 * 1024;

	/** The tenant of a request without a {@link Caller}. */
	static final String NO_TENANT = "-";

	private static final Refusal PERSISTED_QUERY_NOT_FOUND = new Refusal(HttpStatus.OK, NOT_FOUND, "PersistedQueryNotFound");

	private static final Refusal PERSISTED_QUERY_NOT_SUPPORTED = new Refusal(HttpStatus.OK, NOT_SUPPORTED, "PersistedQueryNotSupported");

	private static final Refusal NO_MANIFEST = new Refusal(HttpStatus.BAD_REQUEST, NOT_SUPPORTED,
			"This gateway has no trusted-documents manifest to look a \"documentId\" up in; send the document in \"query\".");

	private static final Refusal OPERATION_NOT_TRUSTED = new Refusal(HttpStatus.BAD_REQUEST, NOT_TRUSTED, NOT_TRUSTED_MESSAGE);

	private static final Refusal MISMATCH = new Refusal(HttpStatus.BAD_REQUEST, HASH_MISMATCH,
			"The hash the request names is not the SHA-256 of its \"query\".");

	private static final Refusal BAD_HASH = badRequest(
			"extensions.persistedQuery.sha256Hash must be the SHA-256 of the document as 64 hexadecimal digits.");

	private static final Refusal BAD_DOCUMENT_ID = badRequest(
			"\"documentId\" must be the SHA-256 of the document as 64 hexadecimal digits, optionally prefixed sha256:.");

	private static final Refusal TWO_NAMES = badRequest(
			"\"documentId\" and extensions.persistedQuery.sha256Hash name different documents; send one.");

	private static final Refusal UNREAD = new Refusal(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
			"The request could not be handled.");

	private static final Logger logger = LoggerFactory.getLogger(PersistedDocuments.class);


	/** Numbers go on as sent: floats as decimals, their trailing zeros kept. */
	private static final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private final PathPattern pattern;

	private final PersistedQueryStore store;

	private final TrustedDocuments trusted;

	private final LogLimiter faults = new LogLimiter(Duration.ofMinutes(1));

	private PersistedDocuments(String path, PersistedQueryStore store, TrustedDocuments trusted) {
		this.pattern = PathPatternParser.defaultInstance.parse(PathPatternParser.defaultInstance.initFullPathPattern(path));
		this.store = store;
		this.trusted = trusted;
	}

	/** Apollo's automatic persisted queries: documents are registered by sending them with their hash, kept in {@code store}. */
	public static PersistedDocuments automatic(String path, PersistedQueryStore store) {
		return new PersistedDocuments(path, store, null);
	}

	/** Only the manifest's documents run, named by hash or sent in full; nothing is registered. */
	public static PersistedDocuments trusted(String path, TrustedDocuments documents) {
		return new PersistedDocuments(path, null, documents);
	}

	/** Documents are sent in full; a request naming one by hash alone is told persisted queries are not supported. */
	public static PersistedDocuments off(String path) {
		return new PersistedDocuments(path, null, null);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** The manifest in trusted-documents mode, else {@code null}. */
	TrustedDocuments trustedDocuments() {
		return this.trusted;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!HttpMethod.POST.equals(exchange.getRequest().getMethod())
				|| !this.pattern.matches(exchange.getRequest().getPath().pathWithinApplication())) {
			return chain.filter(exchange);
		}
		byte[] body = exchange.getAttribute(GraphQlRequestGuard.READ_BODY);
		ObjectNode root = (body != null) ? object(body) : null;
		if (root == null) {
			// The guard reads and checks every POST to this path before this filter; fail closed if it did not.
			if (this.faults.tryAcquire("unread") >= 0) {
				logger.error("A GraphQL request reached the persisted-documents filter without the body GraphQlRequestGuard reads");
			}
			return refuse(exchange, UNREAD);
		}
		Named named = Named.of(root);
		if (named.query() == null && named.hash() == null && named.refusal() == null) {
			return refuse(exchange, badRequest("The request has no \"query\"; send the GraphQL document in a \"query\" string."));
		}
		if (this.trusted != null) {
			return trusted(exchange, chain, root, named);
		}
		if (this.store != null) {
			return automatic(exchange, chain, root, named);
		}
		return off(exchange, chain, named);
	}

	private Mono<Void> automatic(ServerWebExchange exchange, WebFilterChain chain, ObjectNode root, Named named) {
		if (!named.persistedQuery()) {
			return (named.query() == null && named.documentId()) ? refuse(exchange, NO_MANIFEST) : chain.filter(exchange);
		}
		if (named.refusal() != null) {
			return refuse(exchange, named.refusal());
		}
		String hash = named.hash();
		if (named.query() != null) {
			if (!DocumentHash.of(named.query()).equals(hash)) {
				return refuse(exchange, MISMATCH);
			}
			if (named.query().length() > MAX_KEPT_LENGTH) {
				return chain.filter(exchange);
			}
			// Kept before the answer is committed, so that the client's next request by hash finds it.
			return tenant(exchange).flatMap((tenant) -> {
				exchange.getResponse()
					.beforeCommit(() -> answered(exchange) ? this.store.save(tenant, hash, named.query()) : Mono.empty());
				return chain.filter(exchange);
			});
		}
		return tenant(exchange).flatMap((tenant) -> this.store.find(tenant, hash))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> found.isPresent() ? run(exchange, chain, root, found.get())
					: refuse(exchange, PERSISTED_QUERY_NOT_FOUND));
	}

	private Mono<Void> trusted(ServerWebExchange exchange, WebFilterChain chain, ObjectNode root, Named named) {
		if (named.refusal() != null) {
			return refuse(exchange, named.refusal());
		}
		if (named.query() != null) {
			String hash = DocumentHash.of(named.query());
			if (named.hash() != null && !named.hash().equals(hash)) {
				return refuse(exchange, MISMATCH);
			}
			return (this.trusted.find(hash) != null) ? chain.filter(exchange) : refuse(exchange, OPERATION_NOT_TRUSTED);
		}
		String document = (named.hash() != null) ? this.trusted.find(named.hash()) : null;
		return (document != null) ? run(exchange, chain, root, document) : refuse(exchange, OPERATION_NOT_TRUSTED);
	}

	private Mono<Void> off(ServerWebExchange exchange, WebFilterChain chain, Named named) {
		if (named.query() != null) {
			return chain.filter(exchange);
		}
		return refuse(exchange, named.persistedQuery() ? PERSISTED_QUERY_NOT_SUPPORTED : NO_MANIFEST);
	}

	/** Passes the request on with the document as its {@code query}. */
	private static Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, ObjectNode root, String document) {
		root.put("query", document);
		byte[] body = json.writeValueAsBytes(root);
		exchange.getAttributes().put(GraphQlRequestGuard.READ_BODY, body);
		return chain.filter(exchange.mutate().request(ReadRequest.withBody(exchange.getRequest(), body)).build());
	}

	private static Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal) {
		if (logger.isDebugEnabled()) {
			logger.debug("Persisted document refused: {} {}", refusal.status().value(), refusal.code());
		}
		return GraphQlRequestGuard.refuse(exchange, refusal);
	}

	/** The caller's tenant: the {@link Caller} Spring Security authenticated, or {@value #NO_TENANT} without one. */
	private static Mono<String> tenant(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.map((principal) -> (principal instanceof Authentication authentication
					&& authentication.getPrincipal() instanceof Caller caller) ? caller.tenant() : NO_TENANT)
			.defaultIfEmpty(NO_TENANT);
	}

	/** Whether the request ran and was answered without an error status: only then is its document kept. */
	private static boolean answered(ServerWebExchange exchange) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return status == null || status.is2xxSuccessful();
	}

	private static ObjectNode object(byte[] body) {
		try {
			return (json.readTree(body) instanceof ObjectNode object) ? object : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static Refusal badRequest(String message) {
		return new Refusal(HttpStatus.BAD_REQUEST, BAD_REQUEST, message);
	}

	/**
	 * What the body sends and names: its {@code query} (or {@code null}), whether it carries
	 * {@code extensions.persistedQuery} or a {@code documentId}, and the hash they name (or {@code null});
	 * {@code refusal} when what they name is malformed.
	 */
	private record Named(String query, boolean persistedQuery, boolean documentId, String hash, Refusal refusal) {

		static Named of(ObjectNode root) {
			JsonNode queryNode = root.get("query");
			String query = (queryNode != null && queryNode.isString()) ? queryNode.asString() : null;
			JsonNode persisted = root.path("extensions").path("persistedQuery");
			JsonNode id = root.path("documentId");
			boolean hasPersisted = !persisted.isMissingNode() && !persisted.isNull();
			boolean hasId = !id.isMissingNode() && !id.isNull();
			String fromPersisted = null;
			String fromId = null;
			Refusal refusal = null;
			if (hasPersisted) {
				JsonNode version = persisted.path("version");
				fromPersisted = persisted.path("sha256Hash").isString() ? DocumentHash.parse(persisted.path("sha256Hash").asString()) : null;
				if (!persisted.isObject()) {
					refusal = badRequest("extensions.persistedQuery must be a JSON object.");
				}
				else if (!version.isIntegralNumber() || version.asLong() != 1) {
					refusal = new Refusal(HttpStatus.BAD_REQUEST, NOT_SUPPORTED,
							"Only version 1 of persisted queries is supported (extensions.persistedQuery.version).");
				}
				else if (fromPersisted == null) {
					refusal = BAD_HASH;
				}
			}
			if (hasId && refusal == null) {
				fromId = id.isString() ? DocumentHash.parseId(id.asString()) : null;
				if (fromId == null) {
					refusal = BAD_DOCUMENT_ID;
				}
				else if (fromPersisted != null && !fromPersisted.equals(fromId)) {
					refusal = TWO_NAMES;
				}
			}
			String hash = (refusal != null) ? null : (fromId != null) ? fromId : fromPersisted;
			return new Named(query, hasPersisted, hasId, hash, refusal);
		}

	}

}
