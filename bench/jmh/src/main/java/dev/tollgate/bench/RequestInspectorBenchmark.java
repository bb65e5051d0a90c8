package dev.tollgate.bench;

import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.usage.MalformedRequestException;
import dev.tollgate.core.usage.RequestFacts;
import dev.tollgate.core.usage.RequestInspector;
import dev.tollgate.server.buffer.HeapCopy;
import io.netty.buffer.ByteBuf;
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

/**
 * Inspection of one request body (~1.4 KB): model, stream flag, output limit, prompt sample and,
 * for the OpenAI stream, where to inject {@code stream_options}. One op = one request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestInspectorBenchmark {

    private static final HeapCopy COPY = new HeapCopy();

    @Param({"chat-request.json", "chat-request-stream.json", "anthropic-request-stream.json"})
    public String body;

    private ByteBuf bytes;
    private ProviderKind provider;
    private Endpoint endpoint;

    @Setup(Level.Trial)
    public void setUp() throws MalformedRequestException {
        bytes = Payloads.direct(Payloads.bytes(body));
        boolean anthropic = body.startsWith("anthropic");
        provider = anthropic ? ProviderKind.ANTHROPIC : ProviderKind.OPENAI;
        endpoint = anthropic ? Endpoint.MESSAGES : Endpoint.CHAT_COMPLETIONS;
        RequestFacts facts = inspect();
        if (facts.model() == null || (body.equals("chat-request-stream.json") && facts.usageInjection() == null)) {
            throw new IllegalStateException(body + ": unexpected facts " + facts);
        }
    }

    @Benchmark
    public RequestFacts inspect() throws MalformedRequestException {
        // As the server makes it: sized from the body's Content-Length.
        RequestInspector inspector = RequestInspector.forRequest(provider, endpoint, true, bytes.readableBytes());
        inspector.onBytes(COPY.of(bytes));
        return inspector.finish();
    }
}
