package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests of the usage parsers: random but valid responses of each provider (random text
 * with escapes and every kind of UTF-8, random counts, fields in random order with unknown ones
 * between them, random spacing and line ends), cut at random places, must yield exactly the usage,
 * model and text they were made from. The goldens ({@link ResponseTranscriptTest}) pin real
 * transcripts; these cover the shapes nobody wrote down.
 */
class GeneratedResponsesTest {

    private static final int RESPONSES = 400;
    private static final String[] TEXT = {
        "a", " word", "\n", "\"", "\\", "/", "é", "日本", "😀", "\t", "{", "}", ":", ",", "data: ", "\r\n", "\u0001", "usage",
    };

    @Test
    void openAiChatStreams() {
        check(101, ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, ResponseFormat.SSE, (random, expected, body, lineEnd) -> {
            String role = object(random, field("role", quoted("assistant")), field("content", quoted("")));
            event(body, lineEnd, chatChunk(random, expected.model, role, "null"));
            for (String piece : expected.pieces) {
                event(body, lineEnd, chatChunk(random, expected.model, object(random, field("content", quoted(piece))), "null"));
            }
            String details = object(random, field("cached_tokens", expected.cached), field("audio_tokens", 0));
            String usage = object(random, field("prompt_tokens", expected.input + expected.cached),
                    field("completion_tokens", expected.output), field("total_tokens", expected.input + expected.cached + expected.output),
                    field("prompt_tokens_details", details));
            event(body, lineEnd, object(random, field("id", quoted("chatcmpl-1")), field("model", quoted(expected.model)),
                    field("choices", "[]"), field("usage", usage)));
            event(body, lineEnd, "[DONE]");
            return new TokenUsage(expected.input, expected.cached, 0, 0, expected.output);
        });
    }

    @Test
    void openAiChatBodies() {
        check(202, ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, ResponseFormat.JSON, (random, expected, body, lineEnd) -> {
            String message = object(random, field("role", quoted("assistant")), field("content", quoted(expected.text())),
                    field("refusal", "null"));
            String choice = object(random, field("index", 0), field("message", message), field("finish_reason", quoted("stop")));
            String usage = object(random, field("prompt_tokens", expected.input + expected.cached),
                    field("completion_tokens", expected.output),
                    field("prompt_tokens_details", object(random, field("cached_tokens", expected.cached))));
            body.append(object(random, field("id", quoted("chatcmpl-2")), field("object", quoted("chat.completion")),
                    field("model", quoted(expected.model)), field("choices", "[" + choice + "]"), field("usage", usage)));
            return new TokenUsage(expected.input, expected.cached, 0, 0, expected.output);
        });
    }

    @Test
    void anthropicMessageStreams() {
        check(303, ProviderKind.ANTHROPIC, Endpoint.MESSAGES, ResponseFormat.SSE, (random, expected, body, lineEnd) -> {
            String startUsage = object(random, field("input_tokens", expected.input), field("cache_read_input_tokens", expected.cached),
                    field("cache_creation_input_tokens", expected.write5m + expected.write1h),
                    field("cache_creation", object(random, field("ephemeral_5m_input_tokens", expected.write5m),
                            field("ephemeral_1h_input_tokens", expected.write1h))),
                    field("output_tokens", 1));
            String message = object(random, field("id", quoted("msg_1")), field("type", quoted("message")),
                    field("role", quoted("assistant")), field("model", quoted(expected.model)), field("content", "[]"),
                    field("usage", startUsage));
            anthropicEvent(body, lineEnd, "message_start", object(random, field("type", quoted("message_start")), field("message", message)));
            anthropicEvent(body, lineEnd, "content_block_start", object(random, field("type", quoted("content_block_start")),
                    field("index", 0), field("content_block", object(random, field("type", quoted("text")), field("text", quoted(""))))));
            for (String piece : expected.pieces) {
                if (random.nextInt(6) == 0) {
                    anthropicEvent(body, lineEnd, "ping", object(random, field("type", quoted("ping"))));
                }
                anthropicEvent(body, lineEnd, "content_block_delta", object(random, field("type", quoted("content_block_delta")),
                        field("index", 0), field("delta", object(random, field("type", quoted("text_delta")), field("text", quoted(piece))))));
            }
            anthropicEvent(body, lineEnd, "content_block_stop", object(random, field("type", quoted("content_block_stop")), field("index", 0)));
            anthropicEvent(body, lineEnd, "message_delta", object(random, field("type", quoted("message_delta")),
                    field("delta", object(random, field("stop_reason", quoted("end_turn")))),
                    field("usage", object(random, field("output_tokens", expected.output)))));
            anthropicEvent(body, lineEnd, "message_stop", object(random, field("type", quoted("message_stop"))));
            return new TokenUsage(expected.input, expected.cached, expected.write5m, expected.write1h, expected.output);
        });
    }

    @Test
    void ollamaChatStreams() {
        check(404, ProviderKind.OLLAMA, Endpoint.OLLAMA_CHAT, ResponseFormat.NDJSON, (random, expected, body, lineEnd) -> {
            for (String piece : expected.pieces) {
                body.append(object(random, field("model", quoted(expected.model)), field("created_at", quoted("2025-01-10T12:00:00Z")),
                        field("message", object(random, field("role", quoted("assistant")), field("content", quoted(piece)))),
                        field("done", "false"))).append(lineEnd);
            }
            body.append(object(random, field("model", quoted(expected.model)),
                    field("message", object(random, field("role", quoted("assistant")), field("content", quoted("")))),
                    field("done_reason", quoted("stop")), field("done", "true"), field("prompt_eval_count", expected.input),
                    field("eval_count", expected.output), field("eval_duration", 4535599000L))).append(lineEnd);
            return TokenUsage.of(expected.input, expected.output);
        });
    }

    /** Writes one response made from {@code expected} into {@code body}; returns the usage it reports. */
    private interface ResponseWriter {
        TokenUsage write(Random random, Expected expected, StringBuilder body, String lineEnd);
    }

    /** {@value #RESPONSES} responses from {@code writer}, each cut at random places and parsed. */
    private static void check(long seed, ProviderKind provider, Endpoint endpoint, ResponseFormat format, ResponseWriter writer) {
        Random random = new Random(seed);
        for (int i = 0; i < RESPONSES; i++) {
            Expected expected = Expected.random(random);
            StringBuilder body = new StringBuilder();
            String lineEnd = random.nextInt(4) == 0 ? "\r\n" : "\n";
            TokenUsage usage = writer.write(random, expected, body, lineEnd);

            ParsedUsage parsed = parseCutAnywhere(random, provider, endpoint, format, body);

            expected.assertMatches(parsed, usage, body);
        }
    }

    // --- what a response is made from, and how it is checked ---

    private record Expected(String model, List<String> pieces, long input, long cached, long write5m, long write1h, long output) {

        static Expected random(Random random) {
            String model = random.nextBoolean() ? "gpt-4o-mini-2024-07-18" : "m-" + random.nextInt(1000) + "/é";
            List<String> pieces = new ArrayList<>();
            for (int i = random.nextInt(12); i >= 0; i--) {
                StringBuilder piece = new StringBuilder();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    piece.append(TEXT[random.nextInt(TEXT.length)]);
                }
                pieces.add(piece.toString());
            }
            return new Expected(model, pieces, count(random), count(random), count(random), count(random), count(random));
        }

        String text() {
            return String.join("", pieces);
        }

        void assertMatches(ParsedUsage parsed, TokenUsage usage, CharSequence body) {
            assertThat(parsed.reported()).as("usage of %s", body).isEqualTo(usage);
            assertThat(parsed.model()).as("model of %s", body).isEqualTo(model);
            assertThat(parsed.finished()).as("finished: %s", body).isTrue();
            assertThat(parsed.outputText().text()).as("text of %s", body).isEqualTo(text());
            assertThat(parsed.outputText().totalBytes()).isEqualTo(text().getBytes(UTF_8).length);
        }

        private static long count(Random random) {
            return random.nextInt(3) == 0 ? 0 : random.nextInt(5) == 0 ? random.nextLong(1L << 40) : random.nextInt(5000);
        }
    }

    private static ParsedUsage parseCutAnywhere(Random random, ProviderKind provider, Endpoint endpoint, ResponseFormat format,
            CharSequence text) {
        byte[] body = text.toString().getBytes(UTF_8);
        int[] cuts = new int[random.nextInt(8)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = random.nextInt(body.length + 1);
        }
        Arrays.sort(cuts);
        ResponseUsageParser parser = UsageParsers.forResponse(provider, endpoint, format, false);
        return Framing.feed(parser, Framing.records(format, body, Framing.chunks(body, cuts)));
    }

    // --- JSON, written with random spacing and unknown fields between the known ones ---

    private static String chatChunk(Random random, String model, String delta, String usage) {
        String choice = object(random, field("index", 0), field("delta", delta), field("logprobs", "null"),
                field("finish_reason", "null"));
        return object(random, field("id", quoted("chatcmpl-1")), field("object", quoted("chat.completion.chunk")),
                field("created", 1764000000), field("model", quoted(model)), field("system_fingerprint", quoted("fp_1")),
                field("choices", "[" + choice + "]"), field("usage", usage));
    }

    private static void event(StringBuilder body, String lineEnd, String data) {
        body.append("data: ").append(data).append(lineEnd).append(lineEnd);
    }

    private static void anthropicEvent(StringBuilder body, String lineEnd, String type, String data) {
        body.append("event: ").append(type).append(lineEnd).append("data: ").append(data).append(lineEnd).append(lineEnd);
    }

    private static String field(String name, Object value) {
        return quoted(name) + ":" + value;
    }

    /** An object of these fields, in a random order, with a random unknown field or two among them. */
    private static String object(Random random, String... fields) {
        List<String> all = new ArrayList<>(Arrays.asList(fields));
        if (random.nextInt(3) == 0) {
            all.add(field("x_" + random.nextInt(9), "{\"usage\":{\"prompt_tokens\":7},\"text\":[\"model\",1.5e3,true]}"));
        }
        if (random.nextInt(3) == 0) {
            all.add(field("extra", quoted("content")));
        }
        java.util.Collections.shuffle(all, random);
        String gap = random.nextInt(4) == 0 ? " " : "";
        return "{" + gap + String.join("," + gap, all) + gap + "}";
    }

    /** {@code text} as a JSON string, with every second {@code é} escaped: the same text, which must decode alike. */
    private static String quoted(String text) {
        String plain = new String(JsonStringEncoder.getInstance().quoteAsString(text));
        StringBuilder out = new StringBuilder(plain.length() + 8).append('"');
        boolean escape = true;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == 'é') {
                out.append(escape ? "\\u00e9" : "é");
                escape = !escape;
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
