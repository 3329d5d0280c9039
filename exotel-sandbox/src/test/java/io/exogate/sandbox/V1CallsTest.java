package io.exogate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class V1CallsTest {

	private static final SettableClock clock = new SettableClock(SandboxTestSupport.START);

	private static Sandbox sandbox;

	private static SandboxClient client;

	@BeforeAll
	static void start() {
		sandbox = Sandbox.start(SandboxTestSupport.settings(clock).toBuilder().rateLimitPerMinute(100_000).build());
		client = new SandboxClient(sandbox);
	}

	@AfterAll
	static void stop() {
		sandbox.close();
	}

	@Test
	void pagingForwardVisitsEveryCallOfAMonthOnceInOrder() {
		String window = "&DateCreated=" + encode("gte:" + ist(Duration.ofDays(30)) + ";lte:" + ist(Duration.ZERO));
		JsonNode first = SandboxClient.json(client.v1("/Calls.json?PageSize=100" + window));
		long total = first.at("/Metadata/Total").asLong();
		assertThat(total).isGreaterThan(2000);
		List<String> sids = new ArrayList<>();
		List<String> created = new ArrayList<>();
		JsonNode page = first;
		int pages = 0;
		while (true) {
			pages++;
			page.get("Calls").forEach((call) -> {
				sids.add(call.get("Sid").asString());
				created.add(call.get("DateCreated").asString());
			});
			JsonNode next = page.at("/Metadata/NextPageUri");
			if (next.isNull()) {
				break;
			}
			HttpResponse<String> response = client.get(next.asString(), SandboxClient.basic("demo-key", "demo-token"));
			assertThat(response.statusCode()).isEqualTo(200);
			page = SandboxClient.json(response);
			assertThat(pages).as("paging must end").isLessThan(200);
		}
		assertThat(sids).hasSize((int) total);
		assertThat(new HashSet<>(sids)).as("no call repeated").hasSize(sids.size());
		List<String> sortedDescending = new ArrayList<>(created);
		sortedDescending.sort(java.util.Comparator.reverseOrder());
		assertThat(created).isEqualTo(sortedDescending);
	}

	@Test
	void pagingMonthByMonthVisitsTheWholeDataSetOnce() {
		Set<String> seen = new HashSet<>();
		int visited = 0;
		for (int window = 0; window < 3; window++) {
			Duration newest = Duration.ofDays(30L * window);
			String range = "gte:" + ist(newest.plusDays(30).minusSeconds(1)) + ";lte:" + ist(newest);
			JsonNode page = SandboxClient.json(client.v1("/Calls.json?PageSize=100&DateCreated=" + encode(range)));
			while (true) {
				for (JsonNode call : page.get("Calls")) {
					seen.add(call.get("Sid").asString());
					visited++;
				}
				if (page.at("/Metadata/NextPageUri").isNull()) {
					break;
				}
				page = follow(page.at("/Metadata/NextPageUri").asString());
			}
		}
		int ended = SandboxClient.json(client.v4("/voicelogs?limit=1")).at("/response/metadata/total").asInt();
		assertThat(visited).as("no call repeated across pages or windows").isEqualTo(seen.size());
		assertThat(seen).as("every call that has ended").hasSize(ended);
	}

	@Test
	void pagingBackwardWithBeforeReturnsThePreviousPage() {
		JsonNode first = SandboxClient.json(client.v1("/Calls.json?PageSize=7&SortBy=DateCreated:asc"));
		JsonNode second = follow(first.at("/Metadata/NextPageUri").asString());
		JsonNode back = follow(second.at("/Metadata/PrevPageUri").asString());
		assertThat(sids(back)).isEqualTo(sids(first));
		assertThat(first.at("/Metadata/PrevPageUri").isNull()).isTrue();
		assertThat(sids(first)).doesNotContainAnyElementsOf(sids(second));
	}

	@Test
	void ascendingOrderIsTheReverseOfDescending() {
		String window = "&DateCreated=" + encode("gte:" + ist(Duration.ofHours(30)) + ";lte:" + ist(Duration.ofDays(1)));
		List<String> ascending = sids(SandboxClient.json(client.v1("/Calls.json?PageSize=100&SortBy=DateCreated:asc" + window)));
		List<String> descending = sids(SandboxClient.json(client.v1("/Calls.json?PageSize=100" + window)));
		assertThat(ascending).as("a six-hour window holds a few, fewer than a page").hasSizeBetween(2, 99);
		List<String> reversed = new ArrayList<>(descending);
		java.util.Collections.reverse(reversed);
		assertThat(ascending).isEqualTo(reversed);
	}

	@Test
	void ongoingCallsAreNotReturnedButWrappingUpOnesShowTheEpochPlaceholder() {
		Set<String> active = new HashSet<>();
		SandboxClient.json(client.v3("/calls/active")).at("/response/call_details").forEach((call) -> active.add(call.get("sid").asString()));
		List<JsonNode> recent = SandboxTestSupport.v1Calls(client, "");
		for (JsonNode call : recent) {
			assertThat(call.get("Status").asString()).isNotIn("in-progress", "ringing", "queued");
			if (active.contains(call.get("Sid").asString())) {
				assertThat(call.get("EndTime").asString()).isEqualTo("1970-01-01 05:30:00");
				assertThat(call.get("Duration").isNull() || call.get("Duration").asString().isEmpty()).isTrue();
			}
		}
		JsonNode live = SandboxClient.json(client.v3("/calls/active")).at("/response/call_details/0");
		JsonNode single = SandboxClient.json(client.v1("/Calls/" + live.get("sid").asString() + ".json")).get("Call");
		assertThat(single.get("EndTime").asString()).isEqualTo("1970-01-01 05:30:00");
	}

	@Test
	void durationAndPriceComeAsStringsForSomeCallsAndNumbersForOthers() {
		List<JsonNode> calls = SandboxTestSupport.v1Calls(client, "&Status=completed&DateCreated="
				+ encode("gte:" + ist(Duration.ofDays(20)) + ";lte:" + ist(Duration.ofDays(1))));
		assertThat(calls).anyMatch((call) -> call.get("Duration").isString()).anyMatch((call) -> call.get("Duration").isNumber());
		assertThat(calls).anyMatch((call) -> call.get("Price").isString()).anyMatch((call) -> call.get("Price").isNumber());
		assertThat(calls).anyMatch((call) -> call.get("ParentCallSid").isNull())
			.anyMatch((call) -> "".equals(call.get("ParentCallSid").asString()));
	}

	@Test
	void timesAreIndianStandardTime() {
		JsonNode call = SandboxTestSupport.v1Calls(client, "").get(0);
		Instant created = ExotelTime.parseV1(call.get("DateCreated").asString());
		assertThat(created).isBefore(clock.instant()).isAfter(clock.instant().minus(Duration.ofHours(1)));
	}

	@Test
	void numbersComeNationalForSomeCallsAndE164ForOthers() {
		List<JsonNode> calls = SandboxTestSupport.v1Calls(client, "&DateCreated="
				+ encode("gte:" + ist(Duration.ofDays(5)) + ";lte:" + ist(Duration.ZERO)));
		assertThat(calls).anyMatch((call) -> call.get("From").asString().matches("0[0-9]{10}"))
			.anyMatch((call) -> call.get("From").asString().matches("\\+91[0-9]{10}"))
			.allMatch((call) -> call.get("From").asString().matches("(0|\\+91)[0-9]{10}"))
			.allMatch((call) -> call.get("To").asString().startsWith("0") == call.get("From").asString().startsWith("0"))
			.allMatch((call) -> call.get("PhoneNumberSid").asString().startsWith("0") == call.get("From").asString().startsWith("0"));
	}

	@Test
	void aNumberMatchesHoweverItIsWritten() {
		String window = "&DateCreated=" + encode("gte:" + ist(Duration.ofDays(30)) + ";lte:" + ist(Duration.ZERO));
		String national = SandboxTestSupport.v1Calls(client, window + "&Direction=inbound").stream()
			.map((call) -> call.get("From").asString())
			.filter((number) -> number.startsWith("0"))
			.findFirst()
			.orElseThrow();
		String significant = national.substring(1);
		Set<String> expected = sidSet(SandboxTestSupport.v1Calls(client, window + "&From=" + encode(national)));
		assertThat(expected).hasSizeGreaterThan(1);
		for (String written : List.of("+91" + significant, "91" + significant, significant, "0091" + significant)) {
			assertThat(sidSet(SandboxTestSupport.v1Calls(client, window + "&From=" + encode(written)))).as(written)
				.isEqualTo(expected);
		}
		assertThat(SandboxTestSupport.v1Calls(client, window + "&From=" + encode("+1" + significant))).isEmpty();
	}

	@Test
	void filtersByNumbersStatusDirectionDurationPriceAndSid() {
		List<JsonNode> all = SandboxTestSupport.v1Calls(client, "&Status=completed");
		JsonNode sample = all.get(3);
		String to = sample.get("To").asString();
		assertThat(SandboxTestSupport.v1Calls(client, "&To=" + encode(to))).isNotEmpty()
			.allMatch((call) -> sameNumber(call.get("To"), to));
		String from = sample.get("From").asString();
		assertThat(SandboxTestSupport.v1Calls(client, "&From=" + encode(from))).isNotEmpty()
			.allMatch((call) -> sameNumber(call.get("From"), from));
		String exophone = sample.get("PhoneNumberSid").asString();
		assertThat(SandboxTestSupport.v1Calls(client, "&PhoneNumber=" + encode(exophone))).isNotEmpty()
			.allMatch((call) -> sameNumber(call.get("PhoneNumberSid"), exophone));
		assertThat(SandboxTestSupport.v1Calls(client, "&Status=busy,no-answer")).isNotEmpty()
			.allMatch((call) -> Set.of("busy", "no-answer").contains(call.get("Status").asString()));
		assertThat(SandboxTestSupport.v1Calls(client, "&Direction=inbound")).isNotEmpty()
			.allMatch((call) -> call.get("Direction").asString().equals("inbound"));
		assertThat(SandboxTestSupport.v1Calls(client, "&Duration=" + encode("gte:100s;lte:200s"))).isNotEmpty()
			.allMatch((call) -> {
				int seconds = Integer.parseInt(call.get("Duration").asString());
				return seconds >= 100 && seconds <= 200;
			});
		assertThat(SandboxTestSupport.v1Calls(client, "&Duration=eq:30s"))
			.allMatch((call) -> call.get("Duration").asString().equals("30"));
		assertThat(SandboxTestSupport.v1Calls(client, "&Price=" + encode("gte:1.0;lte:1.5"))).isNotEmpty()
			.allMatch((call) -> {
				BigDecimal price = new BigDecimal(call.get("Price").asString());
				return price.compareTo(BigDecimal.ONE) >= 0 && price.compareTo(new BigDecimal("1.5")) <= 0;
			});
		String sids = all.subList(0, 5).stream().map((call) -> call.get("Sid").asString()).collect(Collectors.joining(","));
		assertThat(sids(SandboxClient.json(client.v1("/Calls.json?Sid=" + sids)))).containsExactlyInAnyOrder(sids.split(","));
	}

	@Test
	void bothCanceledSpellingsOccurAndOneFilterFindsBoth() {
		JsonNode page = SandboxClient.json(client.v1("/Calls.json?PageSize=100&Status=canceled&DateCreated="
				+ encode("gte:" + ist(Duration.ofDays(31)) + ";lte:" + ist(Duration.ZERO))));
		Set<String> spellings = new HashSet<>();
		page.get("Calls").forEach((call) -> spellings.add(call.get("Status").asString()));
		assertThat(spellings).containsExactlyInAnyOrder("canceled", "cancelled");
	}

	@Test
	void sidLookupsReachBeyondTheDefaultWindow() {
		String window = "&DateCreated=" + encode("gte:" + ist(Duration.ofDays(50)) + ";lte:" + ist(Duration.ofDays(45)));
		String old = SandboxTestSupport.v1Calls(client, window).get(0).get("Sid").asString();
		assertThat(sids(SandboxClient.json(client.v1("/Calls.json")))).doesNotContain(old);
		assertThat(sids(SandboxClient.json(client.v1("/Calls.json?Sid=" + old)))).containsExactly(old);
	}

	@Test
	void legsComeWithDetails() {
		JsonNode call = SandboxClient.json(client.v1("/Calls/" + SandboxTestSupport.recordedCallSid(client) + ".json?details=true"))
			.get("Call");
		assertThat(call.at("/Details/Legs")).hasSize(2);
		assertThat(call.at("/Details/Leg1Status").asString()).isEqualTo("completed");
		assertThat(call.at("/Details/ConversationDuration").asInt()).isPositive();
		JsonNode plain = SandboxClient.json(client.v1("/Calls/" + call.get("Sid").asString() + ".json")).get("Call");
		assertThat(plain.has("Details")).isFalse();
	}

	@Test
	void callDetailsCarryAPreSignedUrlValidForTheRequestedMinutes() {
		String sid = SandboxTestSupport.recordedCallSid(client);
		String url = SandboxClient.json(client.v1("/Calls/" + sid + ".json?RecordingUrlValidity=10"))
			.at("/Call/PreSignedRecordingUrl")
			.asString();
		long expires = Long.parseLong(url.replaceAll(".*expires=([0-9]+).*", "$1"));
		assertThat(expires).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).getEpochSecond());
		String defaultUrl = SandboxClient.json(client.v1("/Calls/" + sid + ".json")).at("/Call/PreSignedRecordingUrl").asString();
		assertThat(Long.parseLong(defaultUrl.replaceAll(".*expires=([0-9]+).*", "$1")))
			.isEqualTo(clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond());
	}

	@ParameterizedTest
	@ValueSource(strings = { "4", "61", "0", "ten" })
	void aPreSignedValidityOutsideFiveToSixtyMinutesIsRejected(String minutes) {
		HttpResponse<String> response = client.v1("/Calls/" + SandboxTestSupport.recordedCallSid(client)
				+ ".json?RecordingUrlValidity=" + minutes);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(SandboxClient.json(response).at("/RestException/Message").asString()).contains("RecordingUrlValidity");
	}

	@Test
	void documentedLimitsAnswer400() {
		assertBadRequest("/Calls.json?DateCreated=" + encode("gte:" + ist(Duration.ofDays(40)) + ";lte:" + ist(Duration.ZERO)), "1 month");
		assertBadRequest("/Calls.json?DateCreated=" + encode("gte:" + ist(Duration.ofDays(200)) + ";lte:" + ist(Duration.ofDays(190))), "6 months");
		String six = IntStream.range(0, 6).mapToObj((i) -> "%2B91980000000" + i).collect(Collectors.joining(","));
		assertBadRequest("/Calls.json?To=" + six, "at most 5");
		assertBadRequest("/Calls.json?From=" + six, "at most 5");
		assertBadRequest("/Calls.json?PhoneNumber=" + six, "at most 5");
		assertBadRequest("/Calls.json?PageSize=101", "PageSize");
		assertBadRequest("/Calls.json?PageSize=0", "PageSize");
		String sids = IntStream.range(0, 101).mapToObj((i) -> "sid" + i).collect(Collectors.joining(","));
		assertBadRequest("/Calls.json?Sid=" + sids, "Sid");
		assertBadRequest("/Calls.json?Status=voicemail", "Status");
		assertBadRequest("/Calls.json?Direction=sideways", "Direction");
		assertBadRequest("/Calls.json?Duration=gt:10s", "operator");
		assertBadRequest("/Calls.json?Price=lots", "Price");
		assertBadRequest("/Calls.json?SortBy=Price:asc", "SortBy");
		assertBadRequest("/Calls.json?After=abc&Before=def", "Before");
		assertBadRequest("/Calls.json?After=bm90LWEtY3Vyc29y", "cursor");
		assertBadRequest("/Calls.json?DateCreated=" + encode("gte:2026-11-20"), "DateCreated");
	}

	@Test
	void xmlErrorsAreXml() {
		HttpResponse<String> response = client.v1("/Calls?PageSize=500");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("<RestException>").contains("<Status>400</Status>");
	}

	@Test
	void wrongCredentialsOrAForeignAccountAnswer401() {
		assertThat(client.get("/v1/Accounts/exogate-demo/Calls.json", SandboxClient.basic("demo-key", "wrong")).statusCode())
			.isEqualTo(401);
		assertThat(client.get("/v1/Accounts/exogate-demo/Calls.json", null).statusCode()).isEqualTo(401);
		assertThat(client.get("/v1/Accounts/exogate-demo-2/Calls.json", SandboxClient.basic("demo-key", "demo-token"))
			.statusCode()).isEqualTo(401);
		assertThat(client.get("/v1/Accounts/exogate-demo-2/Calls.json", SandboxClient.basic("demo2-key", "demo2-token"))
			.statusCode()).isEqualTo(200);
	}

	@Test
	void anUnknownCallAnswers404() {
		HttpResponse<String> response = client.v1("/Calls/0123456789abcdef0123456789abcdef.json");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(SandboxClient.json(response).at("/RestException/Status").asInt()).isEqualTo(404);
	}

	@Test
	void accountsHaveTheirOwnCalls() {
		JsonNode other = SandboxClient.json(client.get("/v1/Accounts/exogate-demo-2/Calls.json?PageSize=5",
				SandboxClient.basic("demo2-key", "demo2-token")));
		assertThat(sids(other)).doesNotContainAnyElementsOf(sids(SandboxClient.json(client.v1("/Calls.json?PageSize=100"))));
		String foreign = sids(other).get(0);
		assertThat(client.v1("/Calls/" + foreign + ".json").statusCode()).isEqualTo(404);
	}

	private static void assertBadRequest(String pathAndQuery, String messagePart) {
		HttpResponse<String> response = client.v1(pathAndQuery);
		assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(400);
		assertThat(SandboxClient.json(response).at("/RestException/Message").asString()).as(pathAndQuery).contains(messagePart);
	}

	private static JsonNode follow(String uri) {
		HttpResponse<String> response = client.get(uri, SandboxClient.basic("demo-key", "demo-token"));
		assertThat(response.statusCode()).isEqualTo(200);
		return SandboxClient.json(response);
	}

	private static List<String> sids(JsonNode page) {
		List<String> sids = new ArrayList<>();
		page.get("Calls").forEach((call) -> sids.add(call.get("Sid").asString()));
		return sids;
	}

	private static String ist(Duration ago) {
		return ExotelTime.v1(clock.instant().minus(ago));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static boolean sameNumber(JsonNode actual, String expected) {
		return V1Api.sameNumber(actual.asString()).equals(V1Api.sameNumber(expected));
	}

	private static Set<String> sidSet(List<JsonNode> calls) {
		return calls.stream().map((call) -> call.get("Sid").asString()).collect(Collectors.toSet());
	}

}
