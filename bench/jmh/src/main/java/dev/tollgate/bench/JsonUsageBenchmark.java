package dev.tollgate.bench;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.ParsedUsage;
import dev.tollgate.core.usage.ResponseFormat;
import dev.tollgate.core.usage.ResponseUsageParser;
import dev.tollgate.core.usage.UsageParsers;
import dev.tollgate.server.buffer.HeapCopy;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Usage of a whole non-streamed OpenAI chat completion (0.8 KB), fed as one chunk. One op = one response. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JsonUsageBenchmark {

    private static final HeapCopy COPY = new HeapCopy();

    private ByteBuf body;

    @Setup(Level.Trial)
    public void setUp() {
        body = Payloads.direct(Payloads.bytes("chat-response.json"));
        ResponseTaps.check(openAiChatJson(), "openai json");
    }

    @Benchmark
    public ParsedUsage openAiChatJson() {
        ResponseUsageParser parser = UsageParsers.forResponse(
                ProviderKind.OPENAI, Endpoint.CHAT_COMPLETIONS, ResponseFormat.JSON, false);
        parser.onData(COPY.of(body));
        parser.onEnd();
        return parser.result();
    }
}
