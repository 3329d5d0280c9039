package io.exogate.exotel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exogate.model.call.ApiVersion;
import io.exogate.model.call.Call;
import io.exogate.model.error.BadRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageCursorTest {

	private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

	/** Newest first, with calls sharing seconds in an order that is not the SIDs' order. */
	private static final List<Call> DISPLAY = List.of(call("q", 3), call("m", 2), call("z", 2), call("a", 2), call("k", 2),
			call("b", 1), call("y", 0), call("c", 0));

	@Test
	void afterAndBeforeEveryEdgeAreExactlyTheCallsThatFollowAndPrecedeIt() {
		for (int i = 0; i < DISPLAY.size(); i++) {
			PageCursor cursor = PageCursor.decode(PageCursor.edge(ApiVersion.V1, DISPLAY, i));
			List<Call> after = new ArrayList<>();
			List<Call> before = new ArrayList<>();
			for (Call call : DISPLAY) {
				if (cursor.isBeyond(call, Call::createdAt, true, false)) {
					after.add(call);
				}
				if (cursor.isBeyond(call, Call::createdAt, false, true)) {
					before.add(call);
				}
			}
			assertThat(after).as("after edge %d", i).containsExactlyElementsOf(DISPLAY.subList(i + 1, DISPLAY.size()));
			assertThat(before).as("before edge %d", i).containsExactlyInAnyOrderElementsOf(DISPLAY.subList(0, i));
		}
	}

	@Test
	void aPageCarriesCursorsOnlyWhereCallsLieBeyond() {
		var first = PageCursor.page(ApiVersion.V1, DISPLAY.subList(0, 4), 3, false, false, false, Call::createdAt, 8L);
		assertThat(first.calls()).hasSize(3);
		assertThat(first.hasNext()).isTrue();
		assertThat(first.hasPrevious()).isFalse();
		var last = PageCursor.page(ApiVersion.V1, DISPLAY.subList(5, 8), 3, false, true, false, Call::createdAt, null);
		assertThat(last.hasNext()).isFalse();
		assertThat(last.hasPrevious()).isTrue();
		var backward = PageCursor.page(ApiVersion.V1, List.of(DISPLAY.get(2), DISPLAY.get(1), DISPLAY.get(0)), 2, true, true, false,
				Call::createdAt, null);
		assertThat(backward.calls()).as("the two nearest the cursor, in display order").extracting(Call::sid).containsExactly("m", "z");
		assertThat(backward.hasNext()).isTrue();
		assertThat(backward.hasPrevious()).isTrue();
		assertThat(PageCursor.decode(backward.nextCursor()).version()).isEqualTo(ApiVersion.V1);
	}

	@Test
	void cursorsAreOpaqueAndCheckedWhenRead() {
		String cursor = PageCursor.edge(ApiVersion.V1, DISPLAY, 3);
		assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)).doesNotContain("After=").doesNotContain("offset");
		for (String bad : List.of("", "not-base64!", encode("V9:1:a:a"), encode("V1:x:a:a"), encode("V1:1:a;lte:1:a"), encode("V1:1:a"),
				encode("V1:1:a/b:a"))) {
			assertThatThrownBy(() -> PageCursor.decode(bad)).as(bad).isInstanceOf(BadRequestException.class);
		}
		assertThat(PageCursor.decode(null)).isNull();
		assertThat(new PageCursor(ApiVersion.V1, T, Set.of("a"), Set.of("a", "b")).shownFrom()).containsExactlyInAnyOrder("a", "b");
	}

	private static String encode(String raw) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	private static Call call(String sid, int seconds) {
		return Call.builder(sid).createdAt(T.plusSeconds(seconds)).build();
	}

}
