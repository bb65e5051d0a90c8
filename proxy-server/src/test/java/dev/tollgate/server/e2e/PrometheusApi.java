package dev.tollgate.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few calls of Prometheus's HTTP API (v1) the end-to-end test makes. */
final class PrometheusApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    PrometheusApi(URI base) {
        this.base = base;
    }

    /** Whether {@code /-/ready} answers 200; false while Prometheus is starting or not listening yet. */
    boolean ready() throws InterruptedException {
        try {
            return send("/-/ready").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * An instant query at the current time. Returns the whole answer: {@code status} is
     * {@code success} or {@code error} (with {@code errorType} and {@code error}); HTTP 400 and 422
     * also carry such an answer, so they are not thrown.
     */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return json(send("/api/v1/query?query=" + encode(expr)));
    }

    /** Every alert Prometheus holds, pending and firing: {@code labels}, {@code annotations}, {@code state}, {@code value}. */
    List<JsonNode> alerts() throws IOException, InterruptedException {
        JsonNode answer = json(send("/api/v1/alerts"));
        requireSuccess("alerts", answer);
        List<JsonNode> alerts = new ArrayList<>();
        answer.path("data").path("alerts").forEach(alerts::add);
        return alerts;
    }

    /** What a Grafana {@code label_values(match, label)} variable asks Prometheus. */
    JsonNode labelValues(String label, String match) throws IOException, InterruptedException {
        return json(send("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(match)));
    }

    /** What a Grafana {@code label_names(match)} variable asks Prometheus. */
    JsonNode labelNames(String match) throws IOException, InterruptedException {
        return json(send("/api/v1/labels?match[]=" + encode(match)));
    }

    /** The single value of an instant vector with exactly one sample. */
    double scalar(String expr) throws IOException, InterruptedException {
        JsonNode answer = query(expr);
        requireSuccess(expr, answer);
        JsonNode result = answer.path("data").path("result");
        if (result.size() != 1) {
            throw new AssertionError(expr + ": expected one sample, got " + result);
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    static void requireSuccess(String what, JsonNode answer) {
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError(what + ": " + answer);
        }
    }

    private HttpResponse<String> send(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("HTTP " + response.statusCode() + " " + response.uri() + ": not JSON: " + response.body(), e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
