package dev.tollgate.server.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.RawHttpClient;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up stops the upstream at once (no more tokens billed for nobody), is still
 * counted as one request, and leaves the proxy serving.
 */
class ClientAbortIT {

    static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-2024-08-06\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}],\"usage\":null}\n\n";

    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            if (request.body().contains("slow-stream")) {
                // 100 events, 50 ms apart: 5 s in all, far longer than the test waits.
                List<byte[]> events = new ArrayList<>(Collections.nCopies(100, CHUNK.getBytes(UTF_8)));
                events.add("data: [DONE]\n\n".getBytes(UTF_8));
                return new Reply(200, "text/event-stream", events, 50, true, -1, 0);
            }
            if (request.body().contains("slow-head")) {
                return Reply.json(OpenAiChatIT.CHAT_RESPONSE).stalling(5_000);
            }
            return Reply.json(OpenAiChatIT.CHAT_RESPONSE);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void hangingUpMidStreamClosesTheUpstreamAndIsCounted() throws Exception {
        Map<String, String> counted = Map.of("tenant", "globex", "route", "/openai", "code", "200", "model", "gpt-4o-2024-08-06");
        double before = proxy.metricNow("tollgate_requests_total", counted);
        Map<String, String> estimated = Map.of("tenant", "globex", "model", "gpt-4o-2024-08-06", "source", "estimated",
                "token_type", "output");
        double estimatedBefore = proxy.metricNow("tollgate_tokens_total", estimated);

        FakeUpstream.Recorded served;
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send(RawHttpClient.post("/openai/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"slow-stream\"}]}",
                    "X-Tollgate-Tenant", "globex"));
            // Mid-stream means after the first event (which names the model billed), not just the head:
            // the head may reach the client before the upstream's first event reaches the proxy.
            StringBuilder received = new StringBuilder(new String(client.readSome(4096), UTF_8));
            for (int reads = 0; !received.toString().contains("data: ") && reads < 50; reads++) {
                received.append(new String(client.readSome(4096), UTF_8));
            }
            assertThat(received.toString()).startsWith("HTTP/1.1 200").contains("data: ");
            served = upstream.lastRequest();
            assertThat(served.channel().isActive()).as("the stream is still going").isTrue();
        } // hangs up

        assertThat(served.channel().closeFuture().await(3, TimeUnit.SECONDS))
                .as("the proxy closes the upstream connection when its client goes").isTrue();
        assertThat(proxy.awaitMetric("tollgate_requests_total", counted, before + 1)).isEqualTo(before + 1);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", estimated, v -> v > estimatedBefore))
                .as("what was streamed before the hang-up is estimated").isGreaterThan(estimatedBefore);
        assertThat(proxy.awaitMetric("tollgate_inflight_requests", Map.of("route", "/openai"), 0)).isZero();
        assertThatTheProxyStillServes();
    }

    @Test
    void hangingUpBeforeTheResponseHeadClosesTheUpstreamAndCounts499() throws Exception {
        Map<String, String> counted = Map.of("tenant", "globex", "route", "/openai", "code", "499");
        double before = proxy.metricNow("tollgate_requests_total", counted);

        FakeUpstream.Recorded served;
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            int forwardedBefore = upstream.requests().size();
            client.send(RawHttpClient.post("/openai/v1/chat/completions",
                    "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"slow-head\"}]}",
                    "X-Tollgate-Tenant", "globex"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (upstream.requests().size() == forwardedBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            served = upstream.lastRequest();
        }

        assertThat(served.channel().closeFuture().await(3, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.awaitMetric("tollgate_requests_total", counted, before + 1)).isEqualTo(before + 1);
        assertThatTheProxyStillServes();
    }

    @Test
    void hangingUpMidRequestBodyIsCountedAndNeverForwarded() throws Exception {
        Map<String, String> counted = Map.of("tenant", "globex", "route", "/openai", "code", "499");
        double before = proxy.metricNow("tollgate_requests_total", counted);
        int forwardedBefore = upstream.requests().size();

        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "X-Tollgate-Tenant: globex\r\nContent-Length: 1000\r\n\r\n{\"model\":\"gpt-4o\",\"mess");
        }

        assertThat(proxy.awaitMetric("tollgate_requests_total", counted, before + 1)).isEqualTo(before + 1);
        assertThat(upstream.requests()).hasSize(forwardedBefore);
        assertThatTheProxyStillServes();
    }

    private static void assertThatTheProxyStillServes() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[]}", "X-Tollgate-Tenant", "globex");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("chatcmpl-1");
    }
}
