package io.exogate.gateway.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.GraphQLError;
import graphql.Scalars;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.MergedField;
import graphql.execution.ResultPath;
import graphql.language.Field;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import io.exogate.model.error.RateLimitedException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What a client reads of a failure: the typed errors' codes and words, never a library's message or class name. */
class ExogateErrorsTest {

	private final ExogateErrors errors = new ExogateErrors();

	@Test
	void anUnexpectedFailureReachesTheClientAsAnInternalErrorWithoutItsMessage() {
		GraphQLError error = this.errors.resolveToSingleError(
				new IllegalArgumentException("No enum constant io.exogate.model.recording.RecordingFormat.OGG"), environment());
		assertThat(error.getExtensions()).containsEntry("code", "INTERNAL_ERROR");
		assertThat(error.getMessage()).doesNotContain("enum").doesNotContain("io.exogate").doesNotContain("OGG");
	}

	@Test
	void typedErrorsKeepTheirCodeAndWaitingTime() {
		GraphQLError error = this.errors.resolveToSingleError(
				new CompletionException(new RateLimitedException("Account acc has used its Exotel request budget", Duration.ofMillis(1500))),
				environment());
		assertThat(error.getExtensions()).containsEntry("code", "RATE_LIMITED").containsEntry("retryAfterSeconds", 2L);
	}

	@Test
	void aClientThatWentAwayIsACancellationNotAnError() {
		GraphQLError error = this.errors.resolveToSingleError(new CancellationException(), environment());
		assertThat(error.getExtensions()).containsEntry("code", "CANCELLED");
	}

	private static DataFetchingEnvironment environment() {
		return DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
			.mergedField(MergedField.newMergedField(Field.newField("recording").build()).build())
			.executionStepInfo(ExecutionStepInfo.newExecutionStepInfo().type(Scalars.GraphQLString).path(ResultPath.parse("/recording")).build())
			.build();
	}

}
