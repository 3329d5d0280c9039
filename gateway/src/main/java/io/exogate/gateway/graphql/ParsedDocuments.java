package io.exogate.gateway.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Documents parsed and validated once: the next request with the same text (a persisted or automatic
 * persisted query, or a client sending the same operation) skips both. Only documents that parsed and
 * validated without error are kept, at most {@value #MAX_CHARS} characters of them in all.
 */
@Configuration(proxyBeanMethods = false)
public class ParsedDocuments implements PreparsedDocumentProvider {

	static final long MAX_CHARS = 4L * 1024 * 1024;

	private final Cache<String, PreparsedDocumentEntry> documents = Caffeine.newBuilder()
		.maximumWeight(MAX_CHARS)
		.<String, PreparsedDocumentEntry>weigher((query, entry) -> query.length())
		.build();

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		String query = input.getQuery();
		PreparsedDocumentEntry known = this.documents.getIfPresent(query);
		if (known != null) {
			return CompletableFuture.completedFuture(known);
		}
		PreparsedDocumentEntry entry = parseAndValidate.apply(input);
		if (!entry.hasErrors()) {
			this.documents.put(query, entry);
		}
		return CompletableFuture.completedFuture(entry);
	}

	/** The number of documents kept. */
	long size() {
		this.documents.cleanUp();
		return this.documents.estimatedSize();
	}

	@Bean
	GraphQlSourceBuilderCustomizer parsedDocumentsCustomizer() {
		return (builder) -> builder.configureGraphQl((graphQl) -> graphQl.preparsedDocumentProvider(this));
	}

}
