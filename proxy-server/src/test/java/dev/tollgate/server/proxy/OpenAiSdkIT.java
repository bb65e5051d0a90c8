package dev.tollgate.server.proxy;

import static dev.tollgate.server.proxy.OpenAiChatIT.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK pointed at Tollgate with a virtual key, exactly as the README tells
 * users to: it must get its content, see the stream it asked for, and raise its usual exceptions.
 */
class OpenAiSdkIT {

    static final int MAX_BODY = 64 * 1024;

    static final Random random = new Random(5);
    static FakeUpstream upstream;
    static TollgateFixture proxy;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            if (request.body().contains("rate-limit-me")) {
                return Reply.status(429, "application/json",
                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
            }
            if (request.body().contains("\"stream\":true")) {
                boolean usage = request.body().contains("\"include_usage\":true");
                return Reply.sse(OpenAiStreamIT.CHUNKS + (usage ? OpenAiStreamIT.USAGE_CHUNK : "") + OpenAiStreamIT.DONE)
                        .fragmented(random, 30);
            }
            return Reply.json(OpenAiChatIT.CHAT_RESPONSE).fragmented(random, 30);
        });
        proxy = TollgateFixture.start(upstream, "  max_request_body_bytes: " + MAX_BODY + "\n", "");
        client = clientWithKey(TollgateFixture.ACME_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        proxy.close();
    }

    @Test
    void nonStreamingChat() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "openai", "model", "gpt-4o-mini-2024-07-18");
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Hello")
                .build());

        assertThat(completion.choices().get(0).message().content()).hasValue("Hi!");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(1200);
        FakeUpstream.Recorded forwarded = upstream.lastRequest();
        assertThat(forwarded.headers().get("Authorization")).isEqualTo("Bearer " + TollgateFixture.UPSTREAM_OPENAI_KEY);
        assertThat(forwarded.headers().toString()).doesNotContain("tg-");
        assertThat(forwarded.body()).doesNotContain("tg-");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 300))
                .isEqualTo(output + 300);
    }

    @Test
    void streamingChatSeesNoUsageChunkItDidNotAskFor() throws Exception {
        Map<String, String> labels = Map.of("tenant", "acme", "provider", "openai", "model", "gpt-4o-2024-08-06");
        double input = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "input"));
        double output = proxy.metricNow("tollgate_tokens_total", with(labels, "token_type", "output"));

        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Hi").build())) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks).hasSize(3);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.usage()).isEmpty();
            assertThat(c.choices()).isNotEmpty();
        });
        assertThat(content(chunks)).isEqualTo("Héllo");
        assertThat(upstream.lastRequest().body()).contains("\"stream_options\":{\"include_usage\":true}");
        assertThat(upstream.lastRequest().headers().toString()).doesNotContain("tg-");
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "output"), output + 7)).isEqualTo(output + 7);
        assertThat(proxy.awaitMetric("tollgate_tokens_total", with(labels, "token_type", "input"), input + 50)).isEqualTo(input + 50);
    }

    @Test
    void streamingChatThatAskedForUsageGetsIt() throws Exception {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder()
                        .model("gpt-4o")
                        .addUserMessage("Hi")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks).hasSize(4);
        ChatCompletionChunk last = chunks.get(3);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(7);
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(50);
        assertThat(content(chunks)).isEqualTo("Héllo");
    }

    @Test
    void anUnknownVirtualKeyRaisesTheSdksUnauthorizedException() throws Exception {
        int forwardedBefore = upstream.requests().size();
        OpenAIClient stranger = clientWithKey("tg-nobody-knows-this-key");
        try {
            UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> stranger.chat().completions()
                    .create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hello").build()));

            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.code()).hasValue("invalid_api_key");
            assertThat(e.getMessage()).doesNotContain("tg-nobody-knows-this-key");
        } finally {
            stranger.close();
        }
        assertThat(upstream.requests()).hasSize(forwardedBefore);
    }

    @Test
    void anUpstreamRateLimitReachesTheSdkAsRateLimitException() {
        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("rate-limit-me").build()));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.code()).hasValue("rate_limit_exceeded");
    }

    @Test
    void aBodyOverTheLimitRaisesA413() {
        int forwardedBefore = upstream.requests().size();
        OpenAIServiceException e = catchThrowableOfType(OpenAIServiceException.class, () -> client.chat().completions()
                .create(ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("x".repeat(2 * MAX_BODY)).build()));

        assertThat(e.statusCode()).isEqualTo(413);
        assertThat(e.code()).hasValue("request_too_large");
        assertThat(upstream.requests()).hasSize(forwardedBefore);
    }

    private static OpenAIClient clientWithKey(String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://127.0.0.1:" + proxy.tollgate().proxyPort() + "/openai/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static String content(List<ChatCompletionChunk> chunks) {
        return chunks.stream()
                .flatMap(c -> c.choices().stream())
                .map(choice -> choice.delta().content().orElse(""))
                .collect(Collectors.joining());
    }
}
