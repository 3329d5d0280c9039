package io.exogate.model.call;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The field-cost table: for each field of a call, the API versions that own it (in the order they
 * are asked), and so what selecting it costs upstream. A field every view carries costs nothing; any
 * other is read from the view the call was found in when that view's version owns it, else fetched
 * from its first owner, {@linkplain #lookupBatch(ApiVersion) batched} as that version allows. The
 * resolvers, the search router, the cost guard and the README's table all read this one table.
 */
public enum CallField {

	SID("sid"),
	ACCOUNT("account"),
	STATUS("status"),
	RAW_STATUS("rawStatus"),
	DIRECTION("direction"),
	RAW_DIRECTION("rawDirection"),
	EXOPHONE("exophone"),
	STARTED_AT("startedAt"),
	ENDED_AT("endedAt"),
	DURATION_SECONDS("durationSeconds"),
	SOURCES("sources"),
	FROM("from", ApiVersion.V1),
	TO("to", ApiVersion.V1),
	CREATED_AT("createdAt", ApiVersion.V1, ApiVersion.V3),
	CONVERSATION_DURATION_SECONDS("conversationDurationSeconds", ApiVersion.V1, ApiVersion.V3),
	PRICE("price", ApiVersion.V1),
	ANSWERED_BY("answeredBy", ApiVersion.V1),
	LEGS("legs", ApiVersion.V1),
	TALK_TIME_SECONDS("talkTimeSeconds", ApiVersion.V4),
	HOLD_TIME_SECONDS("holdTimeSeconds", ApiVersion.V4),
	AGENT("agent", ApiVersion.V4),
	CUSTOMER("customer", ApiVersion.V4),
	DISPOSITION("disposition", ApiVersion.V4),
	TIMELINE("timeline", ApiVersion.V4),
	CUSTOM_FIELD("customField", ApiVersion.V3, ApiVersion.V4),
	APP("app", ApiVersion.V3),
	DIGITS("digits", ApiVersion.V3);

	/** Calls one v1 request resolves by SID (the {@code Sid} filter); v3 and v4 look calls up one at a time. */
	public static final int V1_LOOKUP_BATCH = 100;

	/** Calls one v3 bulk voice-log request resolves. */
	public static final int RECORDING_BATCH = 100;

	private static final Map<String, CallField> BY_NAME = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(CallField::graphQlName, Function.identity()));

	private final String graphQlName;

	private final List<ApiVersion> owners;

	CallField(String graphQlName, ApiVersion... owners) {
		this.graphQlName = graphQlName;
		this.owners = List.of(owners);
	}

	/** The field's name in the GraphQL schema. */
	public String graphQlName() {
		return this.graphQlName;
	}

	/** The versions that report the field, the one asked first leading; empty when every view carries it. */
	public List<ApiVersion> owners() {
		return this.owners;
	}

	/** Whether a view from {@code version} carries the field. */
	public boolean carriedBy(ApiVersion version) {
		return this.owners.isEmpty() || this.owners.contains(version);
	}

	/** The version asked for the field when the call's view does not carry it; {@code null} when every view does. */
	public ApiVersion lookupVersion() {
		return this.owners.isEmpty() ? null : this.owners.get(0);
	}

	/** Whether the field is read from v4's search list but not v1's: a page selecting it is searched in v4. */
	public boolean listedByV4Only() {
		return this.owners.contains(ApiVersion.V4) && !this.owners.contains(ApiVersion.V1);
	}

	/** The field of that GraphQL name, or {@code null}. */
	public static CallField named(String graphQlName) {
		return BY_NAME.get(graphQlName);
	}

	/** How many calls one lookup request of {@code version} resolves. */
	public static int lookupBatch(ApiVersion version) {
		return (version == ApiVersion.V1) ? V1_LOOKUP_BATCH : 1;
	}

	/**
	 * The versions that must be asked for {@code fields} of calls whose view came from {@code base}:
	 * each at most once per call, however many of its fields are selected.
	 */
	public static Set<ApiVersion> lookups(ApiVersion base, Collection<CallField> fields) {
		Set<ApiVersion> versions = EnumSet.noneOf(ApiVersion.class);
		for (CallField field : fields) {
			if (!field.carriedBy(base)) {
				versions.add(field.lookupVersion());
			}
		}
		return versions;
	}

	/**
	 * Upstream requests that selecting {@code fields} costs for {@code calls} calls found in {@code base}:
	 * per version asked, one request per {@linkplain #lookupBatch batch}.
	 */
	public static long lookupCost(ApiVersion base, Collection<CallField> fields, int calls) {
		long cost = 0;
		for (ApiVersion version : lookups(base, fields)) {
			cost += batches(calls, lookupBatch(version));
		}
		return cost;
	}

	/** Requests needed for {@code calls} items at {@code batch} per request. */
	public static long batches(long calls, long batch) {
		return (calls <= 0) ? 0 : (calls + batch - 1) / batch;
	}

}
