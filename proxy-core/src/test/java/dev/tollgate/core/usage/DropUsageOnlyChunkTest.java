package dev.tollgate.core.usage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the proxy asked for usage itself, exactly the usage-only chunk is kept from the client. */
class DropUsageOnlyChunkTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 64, 4096})
    void onlyTheUsageOnlyChunkIsDropped(int chunkSize) {
        List<Boolean> forwarded = forwardDecisions("openai-chat-stream-include-usage.sse", Endpoint.CHAT_COMPLETIONS,
                true, chunkSize);

        assertThat(forwarded).containsExactly(true, true, true, true, false, true);
    }

    @Test
    void completionsStreamDropsItsUsageChunkToo() {
        List<Boolean> forwarded = forwardDecisions("openai-completions-stream.sse", Endpoint.COMPLETIONS, true, 64);

        assertThat(forwarded).containsExactly(true, true, true, false, true);
    }

    @Test
    void nothingIsDroppedWhenTheClientAskedForUsage() {
        List<Boolean> forwarded = forwardDecisions("openai-chat-stream-include-usage.sse", Endpoint.CHAT_COMPLETIONS,
                false, 64);

        assertThat(forwarded).containsOnly(true);
    }

    @Test
    void chunksWithChoicesAreNeverDroppedEvenWhenTheyCarryUsage() {
        assertThat(forwardDecisions("vllm-chat-stream-cumulative.sse", Endpoint.CHAT_COMPLETIONS, true, 64))
                .containsOnly(true);
        assertThat(forwardDecisions("llamacpp-chat-stream-usage-in-finish.sse", Endpoint.CHAT_COMPLETIONS, true, 64))
                .containsOnly(true);
    }

    @Test
    void otherDialectsIgnoreTheFlag() {
        assertThat(forwardDecisions("anthropic-messages-stream.sse", Endpoint.MESSAGES, true, 64)).containsOnly(true);
        assertThat(forwardDecisions("openai-responses-stream.sse", Endpoint.RESPONSES, true, 64)).containsOnly(true);
    }

    @Test
    void usageOnlyMeansUsagePresentAndChoicesEmptyOrAbsent() {
        ResponseUsageParser parser = dropping();

        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}}"))).isFalse();
        assertThat(parser.onData(event("data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"))).isFalse();
        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{}}"))).isFalse();
        assertThat(parser.onData(event("id: 7\nevent: chunk\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":4}}\n")))
                .isFalse();
        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":null}"))).isTrue();
        assertThat(parser.onData(event("data: {\"choices\":[]}"))).isTrue();
        assertThat(parser.onData(event("data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"prompt_tokens\":3}}")))
                .isTrue();
        assertThat(parser.onData(event("data: {\"choices\":[null],\"usage\":{\"prompt_tokens\":3}}"))).isTrue();
        assertThat(parser.onData(event("data: [DONE]"))).isTrue();
    }

    @Test
    void somethingThatIsNotExactlyOneObjectIsForwarded() {
        ResponseUsageParser parser = dropping();

        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}} trailing}"))).isTrue();
        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}}{\"a\":1}"))).isTrue();
        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}"))).isTrue();
        assertThat(parser.onData(event(": comment only"))).isTrue();
        assertThat(parser.onData(event("data: not json"))).isTrue();
        // The parser recovered: a good usage-only chunk after the garbage is still recognised.
        assertThat(parser.onData(event("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}")))
                .isFalse();
        parser.onEnd();
        assertThat(parser.result().reported()).isEqualTo(TokenUsage.of(9, 2));
    }

    @Test
    void payloadSpreadOverSeveralDataLinesIsOnePayload() {
        ResponseUsageParser parser = dropping();

        boolean forwarded = parser.onData(event("data: {\"choices\":[],\r\ndata: \"usage\":{\"prompt_tokens\":5,\ndata:\"completion_tokens\":6}}\r\n"));

        assertThat(forwarded).isFalse();
        assertThat(parser.result().reported()).isEqualTo(TokenUsage.of(5, 6));
    }

    private static ResponseUsageParser dropping() {
        return UsageParsers.forResponse(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, ResponseFormat.SSE, true);
    }

    private static ByteBuffer event(String text) {
        byte[] bytes = text.getBytes(UTF_8);
        return Framing.buffer(bytes, 0, bytes.length, 0);
    }

    private static List<Boolean> forwardDecisions(String file, Endpoint endpoint, boolean drop, int chunkSize) {
        byte[] body = Framing.resource(file);
        ResponseUsageParser parser = UsageParsers.forResponse(ProviderKind.OPENAI, endpoint, ResponseFormat.SSE, drop);
        List<Boolean> decisions = new ArrayList<>();
        for (ByteBuffer record : Framing.records(ResponseFormat.SSE, body, Framing.chunksOfSize(body, chunkSize))) {
            decisions.add(parser.onData(record));
        }
        return decisions;
    }
}
