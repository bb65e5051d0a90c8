package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Megabyte bodies stream through without being buffered, and no caller buffer is kept. */
class LargeBodyAndRetentionTest {

    @Test
    void megabytesOfEmbeddingsAreReadInChunks() {
        byte[] body = embeddingsBody(400, 1536);
        assertThat(body.length).isGreaterThan(4_000_000);
        ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, Endpoint.EMBEDDINGS,
                ResponseFormat.JSON, false);

        ParsedUsage parsed = Framing.feed(parser,
                Framing.records(ResponseFormat.JSON, body, Framing.chunksOfSize(body, 16 * 1024)));

        assertThat(parsed.model()).isEqualTo("text-embedding-3-large");
        assertThat(parsed.reported()).isEqualTo(TokenUsage.of(12_345, 0));
        assertThat(parsed.finished()).isTrue();
    }

    @Test
    void aHugeRequestIsInspectedInChunks() throws Exception {
        StringBuilder json = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[");
        for (int i = 0; i < 20_000; i++) {
            json.append(i > 0 ? "," : "").append("{\"role\":\"user\",\"content\":\"message number ").append(i).append(" ü\"}");
        }
        json.append("],\"stream\":true}");
        byte[] body = json.toString().getBytes(UTF_8);
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);
        for (Framing.Chunk chunk : Framing.chunksOfSize(body, 8192)) {
            inspector.onBytes(chunk.buffer());
        }

        RequestFacts facts = inspector.finish();

        assertThat(facts.usageInjection().offset()).isEqualTo(body.length - 1);
        assertThat(facts.promptText().sampledBytes()).isEqualTo(TextSample.DEFAULT_CAPACITY);
        RequestInspectorTest.assertInjectionIsValid(body, facts.usageInjection());
    }

    @Test
    void parsersDoNotRetainTheBuffersTheyAreGiven() throws Exception {
        ResponseUsageParser sse = UsageParsers.forResponse(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS,
                ResponseFormat.SSE, true);
        ResponseUsageParser json = UsageParsers.forResponse(ProviderKind.ANTHROPIC, Endpoint.MESSAGES,
                ResponseFormat.JSON, false);
        ResponseUsageParser ndjson = UsageParsers.forResponse(ProviderKind.OLLAMA, Endpoint.OLLAMA_CHAT,
                ResponseFormat.NDJSON, false);
        RequestInspector inspector = RequestInspector.forRequest(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true);

        WeakReference<ByteBuffer> a = feed(sse, "data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n");
        WeakReference<ByteBuffer> b = feed(json, "{\"model\":\"claude\",\"usage\":{\"input_tok");
        WeakReference<ByteBuffer> c = feed(ndjson, "{\"model\":\"llama3.2\",\"done\":false}");
        WeakReference<ByteBuffer> d = feedRequest(inspector, "{\"model\":\"gpt-4o\",\"messa");

        for (int i = 0; i < 20 && (a.get() != null || b.get() != null || c.get() != null || d.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(a.get()).as("SSE parser keeps the event").isNull();
        assertThat(b.get()).as("JSON parser keeps the chunk").isNull();
        assertThat(c.get()).as("NDJSON parser keeps the line").isNull();
        assertThat(d.get()).as("request inspector keeps the chunk").isNull();
        assertThat(sse.result().model()).isEqualTo("m");
    }

    @Test
    void otherEndpointsReportNothingAndForwardEverything() {
        ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, Endpoint.OTHER, ResponseFormat.SSE, true);
        byte[] body = Framing.resource("openai-chat-stream-include-usage.sse");

        for (ByteBuffer record : Framing.records(ResponseFormat.SSE, body, Framing.chunksOfSize(body, 64))) {
            assertThat(parser.onData(record)).isTrue();
        }
        parser.onEnd();

        assertThat(parser.result().model()).isNull();
        assertThat(parser.result().reported()).isNull();
        assertThat(parser.result().outputText().isEmpty()).isTrue();
    }

    private static WeakReference<ByteBuffer> feed(ResponseUsageParser parser, String text) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(text.length() + 8);
        buffer.position(3);
        buffer.put(text.getBytes(UTF_8));
        buffer.flip().position(3);
        parser.onData(buffer);
        return new WeakReference<>(buffer);
    }

    private static WeakReference<ByteBuffer> feedRequest(RequestInspector inspector, String text) {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(UTF_8));
        inspector.onBytes(buffer);
        return new WeakReference<>(buffer);
    }

    private static byte[] embeddingsBody(int vectors, int dimensions) {
        Random random = new Random(3);
        StringBuilder json = new StringBuilder(vectors * dimensions * 12);
        json.append("{\"object\":\"list\",\"data\":[");
        for (int v = 0; v < vectors; v++) {
            json.append(v > 0 ? "," : "").append("{\"object\":\"embedding\",\"index\":").append(v).append(",\"embedding\":[");
            for (int d = 0; d < dimensions; d++) {
                json.append(d > 0 ? "," : "").append(random.nextGaussian() / 30);
            }
            json.append("]}");
        }
        json.append("],\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":12345,\"total_tokens\":12345}}");
        return json.toString().getBytes(UTF_8);
    }
}
