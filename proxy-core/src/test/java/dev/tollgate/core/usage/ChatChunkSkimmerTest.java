package dev.tollgate.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The skimmer's fast path must sample exactly the text the full JSON walk samples, or step aside. */
class ChatChunkSkimmerTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}],\"usage\":null}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"line\\nbreak \\\"quoted\\\" back\\\\slash \\/ tab\\t\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"caf\\u00e9 \\ud83d\\ude00 naïve 日本語 😀\"}}]}",
        "{\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}},{\"index\":1,\"delta\":{\"content\":\"second choice\"}}]}",
        "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"q\\\":1}\"}}]}}]}",
        "{\"choices\":[{\"text\":\" legacy completion\",\"index\":0,\"logprobs\":null}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"usage\"},\"logprobs\":{\"content\":[{\"token\":\"usage\",\"logprob\":-0.1}]}}]}",
        "{\"choices\":[{\"delta\":{\"content\":null}}], \"usage\" : null }",
        "{ \"choices\" : [ { \"delta\" : { \"content\" : \"spaced out\" } } ] }",
        "{\"id\":\"caf\u00e9 \\\"id\\\"\",\"choices\":[{\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":[{\"token\":\"\\n é\"}]}}]}",
    })
    void samplesExactlyWhatTheFullParseSamples(String chunk) throws Exception {
        TextSample skimmed = new TextSample();
        assertThat(new ChatChunkSkimmer().skim(utf8(chunk), 0, utf8(chunk).length, skimmed)).isTrue();
        assertThat(skimmed.text()).isEqualTo(fullParse(chunk).text());
        assertThat(skimmed.totalBytes()).isEqualTo(fullParse(chunk).totalBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}",
        "{\"choices\":[{\"delta\":{\"content\":\"partial\"}}],\"usage\": {\"prompt_tokens\":5}}",
        "{\"choices\":[{\"delta\":{\"content\":\"unterminated}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"bad escape \\q\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"bad unicode \\u12G4\"}}]}",
        "{\"choices\":[{\"delta\":{\"con\\u0074ent\":\"escaped key\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"not a value\":1}}]}",
        "{\"id\":\"unterminated, \"choices\":[]}",
    })
    void stepsAsideWithoutSamplingWhenAFullParseIsNeeded(String chunk) {
        TextSample sample = new TextSample();
        assertThat(new ChatChunkSkimmer().skim(utf8(chunk), 0, utf8(chunk).length, sample)).isFalse();
        assertThat(sample.totalBytes()).isZero();
    }

    @Test
    void invalidUtf8StepsAside() {
        byte[] chunk = "{\"choices\":[{\"delta\":{\"content\":\"x?y\"}}]}".getBytes(StandardCharsets.US_ASCII);
        chunk[34] = (byte) 0xC0; // an overlong lead byte
        TextSample sample = new TextSample();
        assertThat(new ChatChunkSkimmer().skim(chunk, 0, chunk.length, sample)).isFalse();
        assertThat(sample.totalBytes()).isZero();
    }

    @Test
    void randomDeltasSampleAlikeAndWholeStreamsGiveTheSameUsage() throws Exception {
        Random random = new Random(7);
        StringBuilder stream = new StringBuilder("data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n");
        for (int i = 0; i < 300; i++) {
            String text = randomText(random);
            String chunk = "{\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + jsonString(text) + "}}],\"usage\":null}";
            TextSample skimmed = new TextSample();
            assertThat(new ChatChunkSkimmer().skim(utf8(chunk), 0, utf8(chunk).length, skimmed)).isTrue();
            assertThat(skimmed.text()).as(chunk).isEqualTo(text);
            stream.append("data: ").append(chunk).append("\n\n");
        }
        stream.append("data: {\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":300}}\n\n");
        stream.append("data: [DONE]\n\n");
        ResponseUsageParser parser = UsageParsers.forResponse(dev.tollgate.core.provider.ProviderKind.OPENAI,
                dev.tollgate.core.provider.Endpoint.CHAT_COMPLETIONS, ResponseFormat.SSE, true);
        for (String event : stream.toString().split("\n\n")) {
            parser.onData(buffer(event));
        }
        parser.onEnd();
        assertThat(parser.result().reported()).isEqualTo(TokenUsage.of(11, 300));
        assertThat(parser.result().model()).isEqualTo("gpt-4o");
    }

    @Test
    void oneSkimmerOverAStreamSamplesEachChunkAsTheFullParseDoes() throws Exception {
        // Chunks of one stream share their start; some differ early (another id or model), some
        // late, some step aside (usage, an escaped key), so every way of resuming is taken.
        Random random = new Random(11);
        String[] ids = {"chatcmpl-A1", "chatcmpl-A1", "chatcmpl-A1", "chatcmpl-B2"};
        String[] models = {"gpt-4o", "gpt-4o", "gpt-4o-mini"};
        String[] tails = {
            ",\"usage\":null}", "}", ",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}",
            ",\"logprobs\":{\"content\":[{\"token\":\"x\"}]}}", ",\"us\\u0061ge\":null}",
        };
        ChatChunkSkimmer skimmer = new ChatChunkSkimmer();
        int skimmed = 0;
        for (int i = 0; i < 2000; i++) {
            String text = randomText(random);
            String chunk = "{\"id\":\"" + ids[random.nextInt(ids.length)] + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                    + (random.nextInt(8) == 0 ? 2 : 1) + ",\"model\":\"" + models[random.nextInt(models.length)]
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + jsonString(text) + "},\"finish_reason\":null}]"
                    + tails[random.nextInt(tails.length)];
            TextSample sample = new TextSample();
            boolean fast = skimmer.skim(utf8(chunk), 0, utf8(chunk).length, sample);
            if (fast) {
                assertThat(sample.text()).as(chunk).isEqualTo(fullParse(chunk).text());
                skimmed++;
            } else {
                assertThat(sample.isEmpty()).as(chunk).isTrue();
                assertThat(chunk).as("stepped aside").containsAnyOf("prompt_tokens", "\\u0061");
            }
        }
        assertThat(skimmed).isGreaterThan(1000);
    }

    @Test
    void aChunkThatBeginsLikeTheLastButIsCutShortIsReadAfresh() {
        ChatChunkSkimmer skimmer = new ChatChunkSkimmer();
        byte[] first = utf8("{\"id\":\"a\",\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"one\"}}]}");
        byte[] cut = utf8("{\"id\":\"a\",\"model\":\"m\",\"cho");
        assertThat(skimmer.skim(first, 0, first.length, new TextSample())).isTrue();

        TextSample sample = new TextSample();
        boolean fast = skimmer.skim(cut, 0, cut.length, sample);

        assertThat(sample.text()).isEmpty();
        assertThat(fast).as("a cut chunk has no text; the pass ends in a string and steps aside").isFalse();
    }

    /** The reference: the full JSON walk of the chat dialect. */
    private static TextSample fullParse(String chunk) throws Exception {
        OpenAiChatDialect dialect = new OpenAiChatDialect();
        JsonWalker walker = new JsonWalker(dialect.fields(), dialect);
        walker.beginRecord();
        walker.feed(buffer(chunk));
        walker.endRecord();
        return dialect.outputText;
    }

    private static String randomText(Random random) {
        String[] pieces = {"a", " word", "\n", "\"", "\\", "é", "日", "😀", "\t", "/", "{", "}", ":", ","};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i >= 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
