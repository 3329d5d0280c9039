package io.exogate.gateway.call;

import io.exogate.model.call.Call;
import io.exogate.model.call.CallLeg;
import io.exogate.model.call.CallStatus;
import io.exogate.model.call.Money;
import java.util.List;

/** The shapes GraphQL reads for call search results and small call values. */
public final class CallGraph {

	private CallGraph() {
	}

	/** A Relay connection of calls. */
	public record Connection(List<Edge> edges, PageInfo pageInfo, Integer totalCount, io.exogate.model.call.ApiVersion answeredBy) {
	}

	/** A call and its cursor. */
	public record Edge(String cursor, CallNode node) {
	}

	/** Relay page information. */
	public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
	}

	/** A price. */
	public record MoneyView(String amount, String currency) {

		public static MoneyView of(Money money) {
			return (money != null) ? new MoneyView(money.amount().toPlainString(), money.currency()) : null;
		}

	}

	/** A call leg. */
	public record LegView(int id, CallStatus status, String rawStatus, Integer onCallDurationSeconds, String answeredBy) {

		public static List<LegView> of(Call call) {
			if (call == null) {
				return List.of();
			}
			return call.legs().stream().map((CallLeg leg) -> new LegView(leg.id(), leg.status(), leg.rawStatus(),
					CallNode.seconds(leg.onCallDuration()), leg.answeredBy())).toList();
		}

	}

}
