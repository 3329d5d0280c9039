package io.exogate.gateway.persisted;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.springframework.core.io.Resource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trusted-documents manifest, {@code {"<sha256>": "<document>", ...}} (keys may carry a
 * {@code sha256:} prefix): the only operations a gateway configured with one runs. Checked whole
 * when read: every key must be the SHA-256 of its document.
 */
public final class TrustedDocuments {

	private static final int MAX_KEY_SHOWN = 80;

	private final Map<String, String> documents;

	private TrustedDocuments(Map<String, String> documents) {
		this.documents = Map.copyOf(documents);
	}

	/** Reads and checks the manifest; fails naming the first bad key, never quoting a document. */
	public static TrustedDocuments read(Resource resource) {
		String where = "The trusted-documents manifest " + resource.getDescription();
		if (!resource.exists()) {
			throw new IllegalStateException(where + " does not exist (exogate.persisted-queries.trusted-documents)");
		}
		JsonNode root;
		try (InputStream in = resource.getInputStream()) {
			root = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(in);
		}
		catch (IOException | JacksonException ex) {
			throw new IllegalStateException(where + " is not readable JSON (" + ex.getClass().getSimpleName() + ")");
		}
		if (root == null || !root.isObject()) {
			throw new IllegalStateException(where + " must be a JSON object of SHA-256 hashes to documents");
		}
		Map<String, String> documents = new HashMap<>();
		for (Map.Entry<String, JsonNode> entry : root.properties()) {
			String key = entry.getKey();
			String hash = DocumentHash.parseId(key);
			if (hash == null) {
				throw new IllegalStateException(where + ": key \"" + shown(key)
						+ "\" is not a SHA-256 hash (64 hexadecimal digits, optionally prefixed sha256:)");
			}
			if (!entry.getValue().isString()) {
				throw new IllegalStateException(where + ": the value of key \"" + shown(key) + "\" is not a string holding a document");
			}
			String document = entry.getValue().asString();
			String actual = DocumentHash.of(document);
			if (!actual.equals(hash)) {
				throw new IllegalStateException(where + ": key \"" + shown(key) + "\" is not the SHA-256 of its document (" + actual + ")");
			}
			documents.put(hash, document);
		}
		if (documents.isEmpty()) {
			throw new IllegalStateException(where + " holds no document: every operation would be refused");
		}
		return new TrustedDocuments(documents);
	}

	/** The document of this hash (lowercase hex), or {@code null}. */
	String find(String hash) {
		return this.documents.get(hash);
	}

	/** How many documents the manifest holds. */
	public int size() {
		return this.documents.size();
	}

	private static String shown(String key) {
		String printable = key.codePoints()
			.map((c) -> Character.isISOControl(c) ? ' ' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		return (printable.length() > MAX_KEY_SHOWN) ? printable.substring(0, MAX_KEY_SHOWN) + "…" : printable;
	}

}
