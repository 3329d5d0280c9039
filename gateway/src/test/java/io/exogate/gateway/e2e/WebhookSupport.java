package io.exogate.gateway.e2e;

import io.exogate.gateway.e2e.E2eSupport.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;

/** Exotel's callbacks as the tests send them: raw HTTP to the gateway's webhooks. */
final class WebhookSupport {

	static final String FORM = "application/x-www-form-urlencoded";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private WebhookSupport() {
	}

	/** POSTs the body to {@code /webhooks/exotel/<account>/<kind>}, with {@code ?secret=} when a secret is given. */
	static Answer post(int port, String account, String kind, String secret, String contentType, String body) {
		String query = (secret != null) ? "?secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) : "";
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/exotel/" + account + "/" + kind + query))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A status callback as Exotel posts it. */
	static Answer status(int port, String secret, Map<String, String> fields) {
		return post(port, E2eSupport.ACCOUNT, "status", secret, FORM, form(fields));
	}

	/** Form-encodes the fields, in order. */
	static String form(Map<String, String> fields) {
		StringBuilder form = new StringBuilder();
		fields.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
			.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return form.toString();
	}

	/** The fields of an {@code answered} callback of this call. */
	static Map<String, String> answered(String callSid, String updated) {
		Map<String, String> fields = base(callSid, updated);
		fields.put("Status", "in-progress");
		fields.put("EventType", "answered");
		fields.put("RecordingUrl", "");
		return fields;
	}

	/** The fields of a {@code terminal} callback of this call, with a recording. */
	static Map<String, String> completed(String callSid, String updated) {
		Map<String, String> fields = base(callSid, updated);
		fields.put("Status", "completed");
		fields.put("EventType", "terminal");
		fields.put("RecordingUrl", "https://recordings.exotel.com/exotelrecordings/exogate-demo/" + callSid + ".mp3");
		fields.put("ConversationDuration", "41");
		fields.put("Legs[0][OnCallDuration]", "45");
		fields.put("Legs[0][Status]", "completed");
		fields.put("Legs[0][AnsweredBy]", "NA");
		fields.put("Legs[1][OnCallDuration]", "41");
		fields.put("Legs[1][Status]", "completed");
		fields.put("Legs[1][AnsweredBy]", "HUMAN");
		return fields;
	}

	private static Map<String, String> base(String callSid, String updated) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("CallSid", callSid);
		fields.put("DateCreated", "2026-11-23 10:00:00");
		fields.put("DateUpdated", updated);
		fields.put("To", "09876543210");
		fields.put("From", "09123456780");
		fields.put("PhoneNumberSid", "08030752400");
		fields.put("StartTime", "2026-11-23 10:00:00");
		fields.put("Direction", "outbound-api");
		fields.put("CustomField", "");
		return fields;
	}

	/** Every export the subscription emits until it completes. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> subscribeToExport(int port, String webSocketPath, String id) {
		return subscribeToExport(port, webSocketPath, E2eSupport.KEY, id);
	}

	/** Every export the subscription emits until it completes, as the client of this key. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> subscribeToExport(int port, String webSocketPath, String key, String id) {
		WebSocketGraphQlClient client = WebSocketGraphQlClient
			.builder("ws://127.0.0.1:" + port + webSocketPath, new ReactorNettyWebSocketClient())
			.interceptor(new WebSocketGraphQlClientInterceptor() {

				@Override
				public Mono<Object> connectionInitPayload() {
					return Mono.just(Map.of(E2eSupport.KEY_HEADER, key));
				}

			})
			.build();
		try {
			return client.document("subscription($id: ID!) { recordingExport(id: $id) { id status downloadUrl } }")
				.variable("id", id)
				.executeSubscription()
				.map(ClientGraphQlResponse::<Map<String, Object>>getData)
				.map((data) -> (Map<String, Object>) data.get("recordingExport"))
				.collectList()
				.block(Duration.ofSeconds(60));
		}
		finally {
			client.stop().block(Duration.ofSeconds(10));
		}
	}

}
