package dev.tollgate.bench;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.ParsedUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Usage of one whole streamed response, framed and parsed as the server does: the OpenAI chat
 * stream of bench/payloads (37 chunks, 9.7 KB, usage-only chunk removed because the proxy injected
 * {@code include_usage}) and the Anthropic message stream (40 events, 4.2 KB, observed). One op =
 * one response.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SseUsageBenchmark {

    @Param({"event", "whole"})
    public String chunking;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private ByteBuf[] openAi;
    private ByteBuf[] anthropic;

    @Setup(Level.Trial)
    public void setUp() {
        openAi = Payloads.sseChunks(Payloads.bytes("chat-stream.sse"), chunking, alloc);
        anthropic = Payloads.sseChunks(Payloads.bytes("anthropic-stream.sse"), chunking, alloc);
        ResponseTaps.check(openAiChatStream(), "openai");
        ResponseTaps.check(anthropicMessageStream(), "anthropic");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Payloads.release(openAi);
        Payloads.release(anthropic);
    }

    @Benchmark
    public ParsedUsage openAiChatStream() {
        return ResponseTaps.sse(ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, true, openAi, alloc);
    }

    @Benchmark
    public ParsedUsage anthropicMessageStream() {
        return ResponseTaps.sse(ProviderKind.ANTHROPIC, Endpoint.MESSAGES, false, anthropic, alloc);
    }
}
