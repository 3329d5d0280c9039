package io.exogate.gateway.persisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

/** The trusted-documents manifest: read and checked whole at start, a wrong key stopping the start by name. */
class PersistedTrustedDocumentsTest {

	private static final String CALLS = "query Calls { calls(first: 5) { edges { node { sid } } } }";

	private static final String ACCOUNTS = "query Accounts { accounts { sid } }";

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(PersistedQueryConfiguration.class);

	@TempDir
	Path dir;

	@Test
	void keysArePlainOrPrefixedHashesInEitherCase() {
		TrustedDocuments documents = read("{\"" + DocumentHash.of(CALLS).toUpperCase(Locale.ROOT) + "\":" + quoted(CALLS)
				+ ",\"sha256:" + DocumentHash.of(ACCOUNTS) + "\":" + quoted(ACCOUNTS) + "}");
		assertThat(documents.size()).isEqualTo(2);
		assertThat(documents.find(DocumentHash.of(CALLS))).isEqualTo(CALLS);
		assertThat(documents.find(DocumentHash.of(ACCOUNTS))).isEqualTo(ACCOUNTS);
		assertThat(documents.find(DocumentHash.of(CALLS + " "))).isNull();
	}

	@Test
	void aKeyThatIsNotItsDocumentsHashIsNamedWithoutTheDocument() {
		String wrong = DocumentHash.of(ACCOUNTS);
		assertThatIllegalStateException()
			.isThrownBy(() -> read("{\"" + DocumentHash.of(CALLS) + "\":" + quoted(CALLS) + ",\"" + wrong + "\":" + quoted(CALLS) + "}"))
			.withMessageContaining("key \"" + wrong + "\" is not the SHA-256 of its document")
			.withMessageNotContaining("calls(first");
	}

	@Test
	void malformedManifestsAreRefused() {
		assertThatIllegalStateException().isThrownBy(() -> read("{\"md5:0cc175b9c0f1b6a831c399e269772661\":" + quoted(CALLS) + "}"))
			.withMessageContaining("key \"md5:0cc175b9c0f1b6a831c399e269772661\" is not a SHA-256 hash");
		assertThatIllegalStateException().isThrownBy(() -> read("{\"" + DocumentHash.of(CALLS) + "\":{\"query\":" + quoted(CALLS) + "}}"))
			.withMessageContaining("is not a string");
		assertThatIllegalStateException().isThrownBy(() -> read("[" + quoted(CALLS) + "]")).withMessageContaining("must be a JSON object");
		assertThatIllegalStateException().isThrownBy(() -> read("{")).withMessageContaining("is not readable JSON");
		assertThatIllegalStateException().isThrownBy(() -> read("{}")).withMessageContaining("holds no document");
		String key = "\"" + DocumentHash.of(CALLS) + "\":" + quoted(CALLS);
		assertThatIllegalStateException().isThrownBy(() -> read("{" + key + "," + key + "}")).withMessageContaining("is not readable JSON");
	}

	@Test
	void aManifestWithAWrongHashStopsTheStart() throws IOException {
		String wrong = DocumentHash.of(ACCOUNTS);
		Path manifest = Files.writeString(this.dir.resolve("trusted.json"), "{\"sha256:" + wrong + "\":" + quoted(CALLS) + "}");
		this.context.withPropertyValues("exogate.persisted-queries.trusted-documents=file:" + manifest)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("key \"sha256:" + wrong + "\" is not the SHA-256 of its document")
				.hasMessageContaining(manifest.getFileName().toString())
				.message().doesNotContain("calls(first"));
	}

	@Test
	void aMissingManifestStopsTheStart() {
		this.context.withPropertyValues("exogate.persisted-queries.trusted-documents=classpath:persisted/none.json")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("does not exist"));
	}

	@Test
	void aGoodManifestOnTheClassPathStartsTheGatewayInTrustedMode() throws IOException {
		String manifest = new ClassPathResource("persisted/trusted.json").getContentAsString(StandardCharsets.UTF_8);
		TrustedDocuments documents = read(manifest);
		assertThat(documents.size()).isEqualTo(2);
		this.context.withPropertyValues("exogate.persisted-queries.trusted-documents=classpath:persisted/trusted.json")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(PersistedDocuments.class));
	}

	private static TrustedDocuments read(String manifest) {
		return TrustedDocuments.read(new ByteArrayResource(manifest.getBytes(StandardCharsets.UTF_8)));
	}

	private static String quoted(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
