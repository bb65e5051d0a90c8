package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestInspectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void learnsModelStreamLimitAndPromptOfAChatRequest() throws Exception {
        String body = """
                {"model":"gpt-4o","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":[{"type":"text","text":"Héllo"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",
                    "function":{"name":"f","arguments":"{\\"x\\":1}"}}]},
                  {"role":"tool","tool_call_id":"c1","content":"42"}],
                 "stream":false,"max_completion_tokens":256,"temperature":0.2}""";

        RequestFacts facts = inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, body);

        assertThat(facts.model()).isEqualTo("gpt-4o");
        assertThat(facts.stream()).isFalse();
        assertThat(facts.maxOutputTokens()).isEqualTo(256);
        assertThat(facts.usageInjection()).isNull();
        assertThat(facts.promptText().text()).isEqualTo("Be brief.Héllo{\"x\":1}42");
    }

    @Test
    void learnsAnAnthropicRequestWithSystemBlocks() throws Exception {
        String body = """
                {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,
                 "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1",
                   "content":[{"type":"text","text":"sunny"}]},{"type":"text","text":"And?"}]}]}""";

        RequestFacts facts = inspect(ProviderKind.ANTHROPIC, Endpoint.MESSAGES, body);

        assertThat(facts.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(facts.stream()).isTrue();
        assertThat(facts.maxOutputTokens()).isEqualTo(1024);
        assertThat(facts.usageInjection()).as("only OpenAI streams need asking").isNull();
        assertThat(facts.promptText().text()).isEqualTo("You are terse.sunnyAnd?");
    }

    @Test
    void learnsAResponsesRequest() throws Exception {
        String body = """
                {"model":"o4-mini","instructions":"Answer in French.","max_output_tokens":500,"stream":true,
                 "input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]},
                          {"type":"function_call_output","call_id":"c","output":"done"}]}""";

        RequestFacts facts = inspect(ProviderKind.OPENAI, Endpoint.RESPONSES, body);

        assertThat(facts.maxOutputTokens()).isEqualTo(500);
        assertThat(facts.usageInjection()).as("the Responses API always reports usage").isNull();
        assertThat(facts.promptText().text()).isEqualTo("Answer in French.Hidone");
    }

    @Test
    void learnsPromptsGivenAsStringsOrArrays() throws Exception {
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.COMPLETIONS, "{\"prompt\":[\"a\",\"b\"],\"max_tokens\":3}")
                .promptText().text()).isEqualTo("ab");
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.EMBEDDINGS, "{\"input\":\"embed me\",\"model\":\"e\"}")
                .promptText().text()).isEqualTo("embed me");
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.EMBEDDINGS, "{\"input\":[[1,2,3]],\"model\":\"e\"}")
                .promptText().isEmpty()).as("token arrays carry no text").isTrue();
    }

    @Test
    void ollamaStreamsByDefaultAndLimitsWithNumPredict() throws Exception {
        RequestFacts chat = inspect(ProviderKind.OLLAMA, Endpoint.OLLAMA_CHAT,
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"why?\"}],\"options\":{\"num_predict\":64}}");
        RequestFacts generate = inspect(ProviderKind.OLLAMA, Endpoint.OLLAMA_GENERATE,
                "{\"model\":\"llama3.2\",\"prompt\":\"why?\",\"stream\":false}");

        assertThat(chat.stream()).isTrue();
        assertThat(chat.maxOutputTokens()).isEqualTo(64);
        assertThat(generate.stream()).isFalse();
        assertThat(generate.maxOutputTokens()).isEqualTo(-1);
        assertThat(chat.usageInjection()).isNull();
        assertThat(inspect(ProviderKind.OLLAMA, Endpoint.OLLAMA_CHAT, "{\"options\":{\"num_predict\":-1}}")
                .maxOutputTokens()).as("-1 means no limit").isEqualTo(-1);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"max_tokens\":\"9\"}")
                .maxOutputTokens()).isEqualTo(-1);
    }

    @Test
    void countsTheCompletionsAskedFor() throws Exception {
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"messages\":[]}").choices()).isEqualTo(1);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"n\":3,\"max_tokens\":9}").choices())
                .isEqualTo(3);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.COMPLETIONS, "{\"n\":2,\"best_of\":5,\"prompt\":\"x\"}").choices())
                .as("best_of completions are generated and billed").isEqualTo(5);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"n\":0}").choices()).isEqualTo(1);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"n\":\"4\"}").choices()).isEqualTo(1);
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, "{\"metadata\":{\"n\":4}}").choices())
                .as("only the top-level field").isEqualTo(1);
    }

    @Test
    void lastKeyWinsAsUpstreamsRead() throws Exception {
        RequestFacts facts = inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS,
                "{\"model\":\"a\",\"stream\":true,\"model\":\"b\",\"stream\":false}");

        assertThat(facts.model()).isEqualTo("b");
        assertThat(facts.stream()).isFalse();
    }

    @Test
    void onlyTopLevelFieldsCount() throws Exception {
        RequestFacts facts = inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS,
                "{\"metadata\":{\"model\":\"x\",\"stream\":true,\"stream_options\":{}},\"messages\":[]}");

        assertThat(facts.model()).isNull();
        assertThat(facts.stream()).isFalse();
        assertThat(facts.maxOutputTokens()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"gpt-4o\",\"stream\":true}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":null}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{}}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\": { } }",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":false}}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}",
        "{\"stream_options\":{\"include_usage\":true},\"stream\":true,\"stream_options\":{\"x\":[1,{}]}}",
        "{\"stream_options\":{\"include_usage\":true},\"stream\":true,\"stream_options\":null}",
        "{\"stream_options\":{\"include_usage\":{\"nested\":true}},\"stream\":true}",
        " \n{ \"messages\" : [ {\"content\":\"日本語 — ✓ 😀\"} ] ,\"stream\" :true\t}\r\n ",
        "{\"messages\":[{\"content\":\"}}}\\\"{{{\"}],\"stream\":true,\"stream_options\":{\"k\":\"é}\"}}",
    })
    void injectionMakesTheStreamReportUsage(String body) throws Exception {
        RequestFacts facts = inspect(ProviderKind.OPENAI_COMPATIBLE, Endpoint.CHAT_COMPLETIONS, body);

        assertThat(facts.usageInjection()).isNotNull();
        assertInjectionIsValid(body.getBytes(UTF_8), facts.usageInjection());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"include_usage\":true}}",
        "{\"model\":\"gpt-4o\",\"stream\":false}",
        "{\"model\":\"gpt-4o\"}",
        "{\"model\":\"gpt-4o\",\"stream\":\"true\"}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":[]}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":\"x\"}",
    })
    void noInjectionWhenNotNeededOrNotPossible(String body) throws Exception {
        assertThat(inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, body).usageInjection()).isNull();
    }

    @Test
    void injectionOnlyForOpenAiChatAndCompletionsWhenAllowed() throws Exception {
        String body = "{\"model\":\"m\",\"stream\":true,\"prompt\":\"p\"}";

        assertThat(facts(ProviderKind.OPENAI, Endpoint.COMPLETIONS, true, body).usageInjection()).isNotNull();
        assertThat(facts(ProviderKind.OPENAI, Endpoint.COMPLETIONS, false, body).usageInjection()).isNull();
        assertThat(facts(ProviderKind.OPENAI, Endpoint.EMBEDDINGS, true, body).usageInjection()).isNull();
        assertThat(facts(ProviderKind.OPENAI, Endpoint.RESPONSES, true, body).usageInjection()).isNull();
        assertThat(facts(ProviderKind.OLLAMA, Endpoint.CHAT_COMPLETIONS, true, body).usageInjection()).isNull();
        assertThat(facts(ProviderKind.ANTHROPIC, Endpoint.MESSAGES, true, body).usageInjection()).isNull();
    }

    @Test
    void injectionBytesAndOffsetsAreExact() throws Exception {
        String body = "{\"messages\":[{\"content\":\"é\"}],\"stream\":true}";
        String withOptions = "{\"stream\":true,\"stream_options\":{\"x\":1} }";

        BodyInsertion atRoot = inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, body).usageInjection();
        BodyInsertion inOptions = inspect(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, withOptions).usageInjection();

        assertThat(atRoot.offset()).isEqualTo(body.getBytes(UTF_8).length - 1);
        assertThat(new String(atRoot.bytes(), UTF_8)).isEqualTo(",\"stream_options\":{\"include_usage\":true}");
        assertThat(inOptions.offset()).isEqualTo(withOptions.indexOf("} }"));
        assertThat(new String(inOptions.bytes(), UTF_8)).isEqualTo(",\"include_usage\":true");
    }

    @Test
    void offsetsAreTheSameWhereverTheBodyIsSplit() throws Exception {
        String[] bodies = {
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Ünïcödé 😀 \\u00e9 日本\"}],\"stream\":true}  ",
            "{\"messages\":[{\"content\":\"ü😀\"}],\"stream\":true,\"stream_options\":{\"a\":\"ü\" ,\"b\":[1.5e3,{}] }\n}",
            "{\"stream\":true,\"stream_options\":{  },\"x\":\"€€€\"}",
        };
        for (String text : bodies) {
            byte[] body = text.getBytes(UTF_8);
            BodyInsertion expected = facts(body, Framing.chunks(body)).usageInjection();
            assertInjectionIsValid(body, expected);
            for (int cut = 0; cut <= body.length; cut++) {
                for (int second = cut; second <= body.length; second += 5) {
                    BodyInsertion actual = facts(body, Framing.chunks(body, cut, second)).usageInjection();
                    assertThat(actual.offset()).as("cut at %d, %d of %s", cut, second, text).isEqualTo(expected.offset());
                    assertThat(actual.bytes()).isEqualTo(expected.bytes());
                }
            }
            for (int size = 1; size <= 9; size++) {
                assertThat(facts(body, Framing.chunksOfSize(body, size)).usageInjection().offset())
                        .isEqualTo(expected.offset());
            }
        }
    }

    @Test
    void randomBodiesSplitRandomlyGetValidInjections() throws Exception {
        java.util.Random random = new java.util.Random(42);
        String[] texts = {"plain", "é", "日本語", "😀😀", "quote\\\"s", "}{][", "\\u00e9\\n", ""};
        String[] options = {null, "null", "{}", "{ }", "{\"include_usage\":false}", "{\"other\":{\"include_usage\":true}}",
                            "{\"a\":[1,2,{\"b\":\"}\"}]}"};
        for (int i = 0; i < 1500; i++) {
            StringBuilder json = new StringBuilder(ws(random)).append('{').append(ws(random));
            json.append("\"model\":\"m-").append(texts[random.nextInt(texts.length)]).append('"');
            json.append(',').append(ws(random)).append("\"messages\":[");
            int messages = random.nextInt(4);
            for (int m = 0; m < messages; m++) {
                json.append(m > 0 ? "," : "").append("{\"role\":\"user\",\"content\":\"")
                        .append(texts[random.nextInt(texts.length)].repeat(random.nextInt(5))).append("\"}");
            }
            json.append(']').append(ws(random)).append(",\"stream\":true");
            String option = options[random.nextInt(options.length)];
            if (option != null) {
                json.append(',').append(ws(random)).append("\"stream_options\"").append(ws(random)).append(':').append(option);
            }
            if (random.nextBoolean()) {
                json.append(",\"temperature\":").append(random.nextInt(3)).append('.').append(random.nextInt(10));
            }
            json.append(ws(random)).append('}').append(ws(random));
            byte[] body = json.toString().getBytes(UTF_8);
            int cuts = random.nextInt(4);
            int[] at = random.ints(cuts, 0, body.length + 1).sorted().toArray();

            RequestFacts facts = facts(body, Framing.chunks(body, at));

            assertThat(facts.usageInjection()).as(json.toString()).isNotNull();
            assertInjectionIsValid(body, facts.usageInjection());
        }
    }

    @Test
    void promptSampleIsCappedButCountsEverything() throws Exception {
        String big = "x".repeat(TextSample.DEFAULT_CAPACITY * 3);

        RequestFacts facts = inspect(ProviderKind.OPENAI, Endpoint.COMPLETIONS, "{\"prompt\":\"" + big + "\"}");

        assertThat(facts.promptText().sampledBytes()).isEqualTo(TextSample.DEFAULT_CAPACITY);
        assertThat(facts.promptText().totalBytes()).isEqualTo(big.length());
    }

    @Test
    void theCallersBufferIsNotMoved() throws Exception {
        byte[] body = "{\"model\":\"m\",\"stream\":true}".getBytes(UTF_8);
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        for (Framing.Chunk chunk : Framing.chunksOfSize(body, 4)) {
            int position = chunk.buffer().position();
            inspector.onBytes(chunk.buffer());
            assertThat(chunk.buffer().position()).isEqualTo(position);
        }
        assertThat(inspector.finish().model()).isEqualTo("m");
    }

    @Test
    void finishIsIdempotentAndLateBytesAreIgnored() throws Exception {
        RequestInspector ok = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        ok.onBytes(java.nio.ByteBuffer.wrap("{\"model\":\"m\"}".getBytes(UTF_8)));
        RequestFacts first = ok.finish();
        ok.onBytes(java.nio.ByteBuffer.wrap("garbage".getBytes(UTF_8)));
        RequestInspector bad = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        bad.onBytes(java.nio.ByteBuffer.wrap("[".getBytes(UTF_8)));
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(bad::finish);

        assertThat(ok.finish()).isSameAs(first);
        assertThat(failure).isInstanceOf(MalformedRequestException.class);
        assertThatThrownBy(bad::finish).isSameAs(failure);
    }

    /** Splices the insertion in and checks that the result parses and asks for usage, all else unchanged. */
    static void assertInjectionIsValid(byte[] body, @Nullable BodyInsertion insertion) throws IOException {
        assertThat(insertion).isNotNull();
        ByteArrayOutputStream spliced = new ByteArrayOutputStream();
        spliced.write(body, 0, (int) insertion.offset());
        spliced.write(insertion.bytes());
        spliced.write(body, (int) insertion.offset(), body.length - (int) insertion.offset());

        JsonNode original = MAPPER.readTree(body);
        JsonNode result = MAPPER.readTree(spliced.toByteArray());

        assertThat(result.path("stream_options").path("include_usage").asBoolean())
                .as(spliced.toString(UTF_8)).isTrue();
        ObjectNode rest = ((ObjectNode) result.deepCopy());
        ObjectNode originalRest = ((ObjectNode) original.deepCopy());
        JsonNode options = rest.remove("stream_options");
        JsonNode originalOptions = originalRest.remove("stream_options");
        assertThat(rest).isEqualTo(originalRest);
        if (originalOptions != null && originalOptions.isObject()) {
            ObjectNode kept = ((ObjectNode) options.deepCopy());
            kept.remove("include_usage");
            ObjectNode originalKept = ((ObjectNode) originalOptions.deepCopy());
            originalKept.remove("include_usage");
            assertThat(kept).isEqualTo(originalKept);
        }
    }

    private static String ws(java.util.Random random) {
        return List.of("", "", " ", "\n", "\t ", "\r\n  ").get(random.nextInt(6));
    }

    private static RequestFacts inspect(ProviderKind provider, Endpoint endpoint, String body) throws Exception {
        return facts(provider, endpoint, true, body);
    }

    private static RequestFacts facts(ProviderKind provider, Endpoint endpoint, boolean inject, String body)
            throws Exception {
        byte[] bytes = body.getBytes(UTF_8);
        RequestInspector inspector = RequestInspector.forRequest(provider, endpoint, inject);
        for (Framing.Chunk chunk : Framing.chunksOfSize(bytes, 5)) {
            inspector.onBytes(chunk.buffer());
        }
        return inspector.finish();
    }

    private static RequestFacts facts(byte[] body, List<Framing.Chunk> chunks) throws Exception {
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        for (Framing.Chunk chunk : chunks) {
            inspector.onBytes(chunk.buffer());
        }
        return inspector.finish();
    }
}
