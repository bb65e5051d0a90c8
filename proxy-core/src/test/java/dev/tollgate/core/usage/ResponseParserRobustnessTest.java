package dev.tollgate.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever bytes an upstream sends, a parser never throws and never moves the caller's buffers. */
class ResponseParserRobustnessTest {

    private static final String[] TRANSCRIPTS = {
        "openai-chat-stream-include-usage.sse", "openai-chat-reasoning.json", "openai-responses-stream.sse",
        "anthropic-messages-stream.sse", "anthropic-messages.json", "ollama-chat-stream.ndjson", "openai-embeddings.json",
    };
    private static final byte[] JSONISH = "{}[]\":,\\ \n\r\tdata: [DONE]0123456789-.eE truefalsenull\"usage\"\"type\""
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20240611L);
        for (int i = 0; i < 3000; i++) {
            byte[] body = new byte[random.nextInt(300)];
            for (int j = 0; j < body.length; j++) {
                body[j] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : JSONISH[random.nextInt(JSONISH.length)];
            }
            feedToEveryParser(body, 1 + random.nextInt(40));
        }
    }

    @Test
    void mutatedTranscriptsNeverThrow() {
        Random random = new Random(7L);
        for (int i = 0; i < 2000; i++) {
            byte[] body = Framing.resource(TRANSCRIPTS[i % TRANSCRIPTS.length]).clone();
            int mutations = 1 + random.nextInt(8);
            for (int m = 0; m < mutations; m++) {
                int at = random.nextInt(body.length);
                body[at] = random.nextBoolean() ? (byte) random.nextInt(256) : JSONISH[random.nextInt(JSONISH.length)];
            }
            if (random.nextInt(4) == 0) {
                body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
            }
            feedToEveryParser(body, 1 + random.nextInt(200));
        }
    }

    @Test
    void deepNestingAndHugeNumbersAreSurvived() {
        byte[] deep = ("{\"usage\":" + "[".repeat(5000) + "]".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] huge = "{\"model\":\"m\",\"usage\":{\"prompt_tokens\":123456789012345678901234567890,\"completion_tokens\":-5,\"prompt_tokens_details\":{\"cached_tokens\":1e400}}}"
                .getBytes(StandardCharsets.UTF_8);

        feedToEveryParser(deep, 100);
        ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS,
                ResponseFormat.JSON, false);
        ParsedUsage parsed = Framing.feed(parser, Framing.records(ResponseFormat.JSON, huge, Framing.chunksOfSize(huge, 7)));

        assertThat(parsed.reported()).as("absurd counts read as absent, negatives as 0").isEqualTo(TokenUsage.ZERO);
    }

    @Test
    void callsAfterTheEndAreHarmless() {
        for (Endpoint endpoint : Endpoint.values()) {
            for (ResponseFormat format : ResponseFormat.values()) {
                ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, endpoint, format, true);
                parser.onEnd();
                assertThatCode(() -> {
                    parser.onData(ByteBuffer.wrap("data: {}".getBytes(StandardCharsets.UTF_8)));
                    parser.onEnd();
                    parser.result();
                }).doesNotThrowAnyException();
            }
        }
    }

    private static void feedToEveryParser(byte[] body, int chunkSize) {
        for (Endpoint endpoint : Endpoint.values()) {
            for (ResponseFormat format : ResponseFormat.values()) {
                ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, endpoint, format, true);
                List<ByteBuffer> records = new ArrayList<>(
                        Framing.records(format, body, Framing.chunksOfSize(body, chunkSize)));
                ParsedUsage parsed = Framing.feed(parser, records);
                assertThat(parsed).isNotNull();
            }
        }
    }
}
