package dev.tollgate.server.proxy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The upstream fails after the response began: it hangs up, or goes silent past the idle timeout
 * (1.5 s in the fixture). A stream then ends with a terminal error event in the provider's shape,
 * well-formed even when the upstream stopped in the middle of an event; a held JSON body becomes a
 * proper error response.
 */
class StreamFailuresIT {

    static final String OPENAI_HANG_UP = "data: {\"error\":{\"message\":\"Upstream closed the connection mid-response.\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_unreachable\"}}\n\n";
    static final String ANTHROPIC_HANG_UP = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
            + "\"message\":\"Upstream closed the connection mid-response.\"}}\n\n";
    static final String OPENAI_IDLE = "data: {\"error\":{\"message\":\"Upstream timed out mid-response.\","
            + "\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_timeout\"}}\n\n";
    static final String ANTHROPIC_IDLE = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"timeout_error\","
            + "\"message\":\"Upstream timed out mid-response.\"}}\n\n";

    static final Random random = new Random(777);
    /** What the upstream sent of the last stream before failing. */
    static final AtomicReference<String> sent = new AtomicReference<>();
    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            String body = request.body();
            if (body.contains("json-hang-up")) {
                return Reply.json(OpenAiChatIT.CHAT_RESPONSE).fragmented(random, 20).hangingUpAfter(3);
            }
            String stream = request.uri().contains("/messages")
                    ? AnthropicIT.STREAM
                    : OpenAiStreamIT.CHUNKS + (body.contains("\"include_usage\":true") ? OpenAiStreamIT.USAGE_CHUNK : "")
                            + OpenAiStreamIT.DONE;
            Reply whole = Reply.sse(stream).fragmented(random, 40);
            int keep = 1 + random.nextInt(whole.fragments().size() - 1);
            byte[] first = join(whole.fragments().subList(0, keep));
            sent.set(new String(first, UTF_8));
            if (body.contains("idle")) {
                byte[] rest = join(whole.fragments().subList(keep, whole.fragments().size()));
                return new Reply(200, "text/event-stream", List.of(first, rest), 5_000, true, -1, 0);
            }
            return whole.hangingUpAfter(keep);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @RepeatedTest(10)
    void openAiStreamCutOffByTheUpstreamEndsWithAnErrorEvent() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(terminated(sent.get()) + OPENAI_HANG_UP);
        assertThat(upstream.lastRequest().channel().isActive()).isFalse();
    }

    @RepeatedTest(10)
    void aFilteredOpenAiStreamCutOffByTheUpstreamForwardsOnlyWholeEvents() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}", "X-Tollgate-Tenant", "globex");

        int lastEventEnd = sent.get().lastIndexOf("\n\n");
        String upToLastWholeEvent = lastEventEnd < 0 ? "" : sent.get().substring(0, lastEventEnd + 2);
        assertThat(response.body())
                .isEqualTo(upToLastWholeEvent.replace(OpenAiStreamIT.USAGE_CHUNK, "") + OPENAI_HANG_UP);
    }

    @RepeatedTest(10)
    void anthropicStreamCutOffByTheUpstreamEndsWithAnErrorEvent() throws Exception {
        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(terminated(sent.get()) + ANTHROPIC_HANG_UP);
    }

    @RepeatedTest(2)
    void openAiStreamThatGoesSilentEndsWithATimeoutEvent() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"idle\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.body()).isEqualTo(terminated(sent.get()) + OPENAI_IDLE);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ended by the 1.5 s idle timeout")
                .isLessThan(4_500);
        assertThat(upstream.lastRequest().channel().closeFuture().await(2, TimeUnit.SECONDS))
                .as("the silent upstream connection is closed").isTrue();
    }

    @RepeatedTest(2)
    void anthropicStreamThatGoesSilentEndsWithATimeoutEvent() throws Exception {
        HttpResponse<String> response = proxy.post("/anthropic/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"idle\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.body()).isEqualTo(terminated(sent.get()) + ANTHROPIC_IDLE);
    }

    @Test
    void aJsonBodyCutOffBeforeItsEndBecomesA502() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"json-hang-up\"}]}",
                "X-Tollgate-Tenant", "globex");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"code\":\"upstream_unreachable\"");
        assertThat(proxy.awaitMetric("tollgate_requests_total", Map.of("tenant", "globex", "code", "502"), 1)).isEqualTo(1);
    }

    @Test
    void theProxyKeepsServingAfterFailedStreams() throws Exception {
        proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}", "X-Tollgate-Tenant", "globex");

        HttpResponse<String> models = proxy.get("/openai/v1/models", "X-Tollgate-Tenant", "globex");
        assertThat(models.statusCode()).isEqualTo(200);
    }

    /** What a client saw of an event stream cut at this point: an unfinished event is ended first. */
    private static String terminated(String sent) {
        return sent.isEmpty() || sent.endsWith("\n\n") ? sent : sent + "\n\n";
    }

    private static byte[] join(List<byte[]> pieces) {
        List<Byte> all = new ArrayList<>();
        for (byte[] piece : pieces) {
            for (byte b : piece) {
                all.add(b);
            }
        }
        byte[] out = new byte[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}
