package io.exogate.gateway.response;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import java.util.Map;
import java.util.Set;

/**
 * Lets only queries whose every root field is {@code recording}, {@code recordings} or {@code __typename}
 * be kept by the {@link ResponseCache}: their answers hold nothing but recordings, whose lifetimes the
 * answer's TTL comes from. Anything else (calls, accounts, exports, introspection, mutations and
 * subscriptions) refuses the execution's ticket.
 */
public final class ResponseCacheInstrumentation extends SimplePerformantInstrumentation {

	static final Set<String> ROOT_FIELDS = Set.of("recording", "recordings", "__typename");

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		ResponseTicket ticket = ResponseTicket.of(execution.getGraphQLContext());
		if (ticket != null) {
			OperationDefinition operation = execution.getOperationDefinition();
			if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
				ticket.refuse("operation " + operation.getOperation());
			}
			else if (!onlyRecordings(operation.getSelectionSet(), execution.getFragmentsByName(), 0)) {
				ticket.refuse("fields other than recordings");
			}
		}
		return super.beginExecuteOperation(parameters, state);
	}

	private static boolean onlyRecordings(SelectionSet selections, Map<String, FragmentDefinition> fragments, int depth) {
		if (selections == null) {
			return true;
		}
		if (depth > 16) {
			return false;
		}
		for (Selection<?> selection : selections.getSelections()) {
			boolean allowed;
			if (selection instanceof Field field) {
				allowed = ROOT_FIELDS.contains(field.getName());
			}
			else if (selection instanceof InlineFragment inline) {
				allowed = onlyRecordings(inline.getSelectionSet(), fragments, depth + 1);
			}
			else if (selection instanceof FragmentSpread spread) {
				FragmentDefinition fragment = fragments.get(spread.getName());
				allowed = fragment != null && onlyRecordings(fragment.getSelectionSet(), fragments, depth + 1);
			}
			else {
				allowed = false;
			}
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

}
