package io.exogate.exotel.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A v1 bulk call details page. */
@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
record V1CallsPage(Metadata metadata, List<V1CallResource> calls) {

	@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Metadata(String total, String pageSize, String firstPageUri, String prevPageUri, String nextPageUri) {
	}

	/** One call, as {@code GET /Calls/{sid}.json} answers it. */
	@JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Single(V1CallResource call) {
	}

}
