package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class UnreachableUpstreamIT {

    @Test
    void refusedConnectionGets502AndTheProxyKeepsServing() throws Exception {
        FakeUpstream upstream = FakeUpstream.start(request -> Reply.json("{}"));
        try (TollgateFixture proxy = TollgateFixture.start(upstream)) {
            upstream.close(); // nothing listens there any more

            HttpResponse<String> first = proxy.post("/anthropic/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1,\"messages\":[]}",
                    "X-Tollgate-Tenant", "globex");
            HttpResponse<String> second = proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                    "X-Tollgate-Tenant", "globex");

            assertThat(first.statusCode()).isEqualTo(502);
            assertThat(first.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
            assertThat(second.statusCode()).isEqualTo(502);
            assertThat(second.body()).contains("\"code\":\"upstream_unreachable\"");
        }
    }
}
