package dev.tollgate.core.usage;

import static dev.tollgate.core.provider.Endpoint.CHAT_COMPLETIONS;
import static dev.tollgate.core.provider.Endpoint.COMPLETIONS;
import static dev.tollgate.core.provider.Endpoint.EMBEDDINGS;
import static dev.tollgate.core.provider.Endpoint.MESSAGES;
import static dev.tollgate.core.provider.Endpoint.OLLAMA_CHAT;
import static dev.tollgate.core.provider.Endpoint.OLLAMA_EMBED;
import static dev.tollgate.core.provider.Endpoint.OLLAMA_GENERATE;
import static dev.tollgate.core.provider.Endpoint.RESPONSES;
import static dev.tollgate.core.provider.ProviderKind.ANTHROPIC;
import static dev.tollgate.core.provider.ProviderKind.OLLAMA;
import static dev.tollgate.core.provider.ProviderKind.OPENAI;
import static dev.tollgate.core.provider.ProviderKind.OPENAI_COMPATIBLE;
import static dev.tollgate.core.usage.ResponseFormat.JSON;
import static dev.tollgate.core.usage.ResponseFormat.NDJSON;
import static dev.tollgate.core.usage.ResponseFormat.SSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden transcripts of every provider and endpoint, streamed and not: the usage found must be the
 * same however the bytes are cut.
 */
class ResponseTranscriptTest {

    private static final int[] CHUNK_SIZES = {1, 2, 3, 7, 64, 4096};

    static List<Golden> goldens() {
        return List.of(
                new Golden("openai-chat-stream-include-usage.sse", OPENAI, CHAT_COMPLETIONS, SSE,
                        "gpt-4o-mini-2024-07-18", new TokenUsage(86, 1920, 0, 0, 300), true,
                        "Hello there! ¿Qué tal? 👋 \"quoted\"\n"),
                new Golden("openai-chat-stream-no-usage-crlf.sse", OPENAI, CHAT_COMPLETIONS, SSE,
                        "gpt-4.1-2025-04-14", null, true, "Bonjour le monde"),
                new Golden("openai-chat-reasoning.json", OPENAI, CHAT_COMPLETIONS, JSON,
                        "o3-mini-2025-01-31", new TokenUsage(316, 1024, 0, 0, 1876), true, "The answer is 42."),
                new Golden("openai-compatible-chat-cache-write.json", OPENAI_COMPATIBLE, CHAT_COMPLETIONS, JSON,
                        "anthropic/claude-3.7-sonnet", new TokenUsage(200, 1000, 4000, 0, 12), true,
                        "Cached context acknowledged."),
                new Golden("openai-completions-stream.sse", OPENAI, COMPLETIONS, SSE,
                        "gpt-3.5-turbo-instruct", TokenUsage.of(5, 4), true, "Once upon a time"),
                new Golden("openai-completions.json", OPENAI, COMPLETIONS, JSON,
                        "gpt-3.5-turbo-instruct", TokenUsage.of(5, 7), true, "\n\nThis is indeed a test"),
                new Golden("openai-embeddings.json", OPENAI, EMBEDDINGS, JSON,
                        "text-embedding-3-small", TokenUsage.of(8, 0), true, ""),
                new Golden("vllm-chat-stream-cumulative.sse", OPENAI_COMPATIBLE, CHAT_COMPLETIONS, SSE,
                        "meta-llama/Llama-3.1-8B-Instruct", TokenUsage.of(25, 5), true, "Paris is the capital."),
                new Golden("llamacpp-chat-stream-usage-in-finish.sse", OPENAI_COMPATIBLE, CHAT_COMPLETIONS, SSE,
                        "qwen2.5-7b-instruct-q4_k_m.gguf", new TokenUsage(1, 30, 0, 0, 9), true, "User greets.Hi!"),
                new Golden("openai-responses.json", OPENAI, RESPONSES, JSON,
                        "gpt-4.1-2025-04-14", new TokenUsage(36, 2000, 0, 0, 148), true,
                        "Counting unicorns.In a peaceful grove beneath a silver moon, a unicorn named Lumina slept."),
                new Golden("openai-responses-stream.sse", OPENAI, RESPONSES, SSE,
                        "gpt-4.1-2025-04-14", TokenUsage.of(37, 11), true, "Hi there — ça va?"),
                new Golden("openai-responses-incomplete.sse", OPENAI, RESPONSES, SSE,
                        "o4-mini-2025-04-16", new TokenUsage(1114, 4096, 0, 0, 512), true,
                        "Thinking hard.Partial ans"),
                new Golden("anthropic-messages.json", ANTHROPIC, MESSAGES, JSON,
                        "claude-opus-4-1-20250805", new TokenUsage(2095, 0, 51, 2000, 503), true,
                        "Let me think.Hi! My name is Claude."),
                new Golden("anthropic-messages-stream.sse", ANTHROPIC, MESSAGES, SSE,
                        "claude-sonnet-4-5-20250929", new TokenUsage(12, 2000, 1000, 2000, 503), true,
                        "Weather? Use the tool.Let me check — one moment.{\"location\": \"Paris\"}"),
                new Golden("anthropic-stream-data-only-crlf.sse", ANTHROPIC, MESSAGES, SSE,
                        "claude-3-5-haiku-20241022", new TokenUsage(472, 0, 1200, 0, 6), true, "Short answer."),
                new Golden("anthropic-stream-error.sse", ANTHROPIC, MESSAGES, SSE,
                        "claude-sonnet-4-20250514", TokenUsage.of(100, 1), false, "Halfway"),
                new Golden("ollama-chat-stream.ndjson", OLLAMA, OLLAMA_CHAT, NDJSON,
                        "llama3.2", TokenUsage.of(26, 282), true, "The sky is blue because of Rayleigh scattering."),
                new Golden("ollama-chat.json", OLLAMA, OLLAMA_CHAT, JSON,
                        "qwen3:8b", TokenUsage.of(26, 298), true, "Hello! How can I help?Greeting."),
                new Golden("ollama-generate-stream-cached-prompt.ndjson", OLLAMA, OLLAMA_GENERATE, NDJSON,
                        "llama3.2", TokenUsage.of(0, 259), true, "Why not?"),
                new Golden("ollama-generate.json", OLLAMA, OLLAMA_GENERATE, JSON,
                        "llama3.2", TokenUsage.of(26, 290), true,
                        "The sky is blue because it is the color of the sky."),
                new Golden("ollama-embed.json", OLLAMA, OLLAMA_EMBED, JSON, "all-minilm", TokenUsage.of(8, 0), true, ""));
    }

    static Stream<Arguments> goldenAndChunkSize() {
        return goldens().stream().flatMap(g -> IntStream.of(CHUNK_SIZES).mapToObj(size -> Arguments.of(g, size)));
    }

    @ParameterizedTest
    @MethodSource("goldenAndChunkSize")
    void usageIsTheSameWhateverTheChunkSize(Golden golden, int chunkSize) {
        byte[] body = Framing.resource(golden.file());

        ParsedUsage parsed = parse(golden, body, Framing.chunksOfSize(body, chunkSize));

        golden.assertMatches(parsed);
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void usageIsTheSameWhereverTheBodyIsSplit(Golden golden) {
        byte[] body = Framing.resource(golden.file());

        for (int cut = 0; cut <= body.length; cut++) {
            golden.assertMatches(parse(golden, body, Framing.chunks(body, cut)));
        }
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void usageIsTheSameWhenSplitInThree(Golden golden) {
        byte[] body = Framing.resource(golden.file());

        for (int first = 1; first < body.length; first += 37) {
            for (int second = first; second < body.length; second += 41) {
                golden.assertMatches(parse(golden, body, Framing.chunks(body, first, second)));
            }
        }
    }

    private static ParsedUsage parse(Golden golden, byte[] body, List<Framing.Chunk> chunks) {
        ResponseUsageParser parser = UsageParsers.forResponse(golden.provider(), golden.endpoint(), golden.format(), false);
        return Framing.feed(parser, Framing.records(golden.format(), body, chunks));
    }

    record Golden(String file, ProviderKind provider, Endpoint endpoint, ResponseFormat format, String model,
            @Nullable TokenUsage usage, boolean finished, String text) {

        void assertMatches(ParsedUsage parsed) {
            assertThat(parsed.model()).as(file + " model").isEqualTo(model);
            assertThat(parsed.reported()).as(file + " usage").isEqualTo(usage);
            assertThat(parsed.finished()).as(file + " finished").isEqualTo(finished);
            assertThat(parsed.outputText().text()).as(file + " text").isEqualTo(text);
            assertThat(parsed.outputText().totalBytes()).as(file + " text length").isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }

        @Override
        public String toString() {
            return file;
        }
    }
}
