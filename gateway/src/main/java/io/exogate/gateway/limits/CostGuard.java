package io.exogate.gateway.limits;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import io.exogate.gateway.account.Accounts;
import io.exogate.gateway.security.CallerScope;
import io.exogate.gateway.security.SecurityProperties.Limits;
import io.exogate.gateway.security.Tenants.Tenant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Refuses, before anything runs, an operation whose worst-case upstream cost exceeds
 * {@code exogate.request.max-cost} ({@code QUERY_TOO_COSTLY}, with the computed cost), or whose
 * aliases, depth or expanded field count exceed their limits ({@code QUERY_TOO_COMPLEX}). The cost
 * comes from {@link UpstreamCost} and the field-cost table; nothing is sent upstream for a refused operation.
 */
@Component
public class CostGuard extends SimplePerformantInstrumentation {

	private final RequestLimits limits;

	private final int maxCost;

	public CostGuard(RequestLimits limits, Accounts accounts) {
		this.limits = limits;
		int smallest = accounts.all().stream().mapToInt((account) -> account.requestsPerMinute()).min().orElse(200);
		this.maxCost = (limits.maxCost() != null) ? limits.maxCost() : Math.max(1, smallest / 4);
	}

	/** The most upstream requests an operation may cost. */
	public int maxCost() {
		return this.maxCost;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		Tenant tenant = execution.getGraphQLContext().get(CallerScope.TENANT);
		Limits own = (tenant != null) ? tenant.limits() : Limits.NONE;
		int maxAliases = (own.maxAliases() != null) ? Math.min(own.maxAliases(), this.limits.maxAliases()) : this.limits.maxAliases();
		int maxDepth = (own.maxDepth() != null) ? Math.min(own.maxDepth(), this.limits.maxDepth()) : this.limits.maxDepth();
		int maxFields = (own.maxFields() != null) ? Math.min(own.maxFields(), this.limits.maxFields()) : this.limits.maxFields();
		Shape shape = shape(execution, maxFields);
		if (shape.aliases > maxAliases) {
			throw refusal("QUERY_TOO_COMPLEX", "The operation uses " + shape.aliases + " aliases; at most " + maxAliases
					+ " are allowed", Map.of("aliases", shape.aliases, "maxAliases", maxAliases));
		}
		if (shape.depth > maxDepth) {
			throw refusal("QUERY_TOO_COMPLEX", "The operation nests fields " + shape.depth + " deep; at most " + maxDepth
					+ " levels are allowed", Map.of("depth", shape.depth, "maxDepth", maxDepth));
		}
		long cost = new UpstreamCost(this.limits.activeCallsEstimate()).of(shape.roots);
		int maxCost = (tenant != null && tenant.maxCost() != null) ? tenant.maxCost() : this.maxCost;
		if (cost > maxCost) {
			throw refusal("QUERY_TOO_COSTLY", "The operation could cost up to " + cost + " Exotel requests; at most "
					+ maxCost + " are allowed per operation. Ask for fewer calls, fewer aliases, or fields of fewer API versions",
					Map.of("cost", cost, "maxCost", maxCost));
		}
		return super.beginExecuteOperation(parameters, state);
	}

	private Shape shape(ExecutionContext execution, int maxFields) {
		Map<QueryVisitorFieldEnvironment, SelectedField> nodes = new IdentityHashMap<>();
		Shape shape = new Shape();
		QueryTraverser traverser = QueryTraverser.newQueryTraverser()
			.schema(execution.getGraphQLSchema())
			.document(execution.getDocument())
			.operationName(execution.getOperationDefinition().getName())
			.coercedVariables(execution.getCoercedVariables())
			.build();
		try {
			traverser.visitPreOrder(new QueryVisitorStub() {

				@Override
				public void visitField(QueryVisitorFieldEnvironment environment) {
					if (++shape.fields > maxFields) {
						throw new TooLarge();
					}
					if (environment.getField().getAlias() != null) {
						shape.aliases++;
					}
					SelectedField parent = (environment.getParentEnvironment() != null)
							? nodes.get(environment.getParentEnvironment()) : null;
					SelectedField node = new SelectedField(environment.getField().getName(), environment.getArguments(),
							(parent != null) ? parent.depth + 1 : 1);
					nodes.put(environment, node);
					shape.depth = Math.max(shape.depth, node.depth);
					if (parent != null) {
						parent.children.add(node);
					}
					else {
						shape.roots.add(node);
					}
				}

			});
		}
		catch (TooLarge ex) {
			throw refusal("QUERY_TOO_COMPLEX", "The operation expands to more than " + maxFields + " fields",
					Map.of("maxFields", maxFields));
		}
		return shape;
	}

	private static AbortExecutionException refusal(String code, String message, Map<String, Object> details) {
		Map<String, Object> extensions = new LinkedHashMap<>();
		extensions.put("code", code);
		extensions.putAll(details);
		GraphQLError error = GraphqlErrorBuilder.newError()
			.message(message)
			.errorType(ErrorClassification.errorClassification(code))
			.extensions(extensions)
			.build();
		return new AbortExecutionException(List.of(error));
	}

	/** A field of the operation as selected, with its resolved arguments. */
	static final class SelectedField {

		final String name;

		final Map<String, Object> arguments;

		final int depth;

		final List<SelectedField> children = new ArrayList<>();

		SelectedField(String name, Map<String, Object> arguments, int depth) {
			this.name = name;
			this.arguments = arguments;
			this.depth = depth;
		}

		SelectedField child(String name) {
			return this.children.stream().filter((child) -> child.name.equals(name)).findFirst().orElse(null);
		}

	}

	private static final class Shape {

		final List<SelectedField> roots = new ArrayList<>();

		int aliases;

		int depth;

		int fields;

	}

	private static final class TooLarge extends RuntimeException {

		TooLarge() {
			super(null, null, false, false);
		}

	}

}
