package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.RawHttpClient;
import dev.tollgate.server.testing.TollgateFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connections are kept and reused on both sides; pipelined requests are answered in order. */
class KeepAliveIT {

    static FakeUpstream upstream;
    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> {
            String model = request.body().replaceAll(".*\"model\":\"([^\"]*)\".*", "$1");
            String json = "{\"id\":\"" + model + "\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}";
            if (request.body().contains("stream")) {
                return Reply.sse("data: {\"id\":\"" + model + "\",\"choices\":[]}\n\ndata: [DONE]\n\n");
            }
            // The first pipelined request is the slow one: its answer must still come first.
            return model.equals("first") ? Reply.json(json).stalling(300) : Reply.json(json);
        });
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void sequentialRequestsOnOneClientConnectionReuseOneUpstreamConnection() throws Exception {
        int connectionsBefore = upstream.connections().size();
        int requestsBefore = upstream.requests().size();
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            for (int i = 0; i < 5; i++) {
                String body = i % 2 == 0
                        ? "{\"model\":\"m" + i + "\",\"messages\":[]}"
                        : "{\"model\":\"m" + i + "\",\"stream\":true,\"messages\":[]}";
                RawHttpClient.Response response = client.send(RawHttpClient.post("/openai/v1/chat/completions", body,
                        "X-Tollgate-Tenant", "globex")).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).contains("\"id\":\"m" + i + "\"");
                assertThat(response.header("Connection")).as("kept alive").isNull();
            }
        }
        List<FakeUpstream.Recorded> served = upstream.requests().subList(requestsBefore, upstream.requests().size());
        assertThat(served).hasSize(5);
        assertThat(served.stream().map(FakeUpstream.Recorded::channel).distinct())
                .as("every request on one upstream connection").hasSize(1);
        assertThat(upstream.connections().size() - connectionsBefore).as("upstream connections opened").isLessThanOrEqualTo(1);
        assertThat(served.get(0).channel().isActive()).as("pooled for the next request").isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send(RawHttpClient.post("/openai/v1/chat/completions", "{\"model\":\"first\",\"messages\":[]}",
                    "X-Tollgate-Tenant", "globex")
                    + RawHttpClient.post("/openai/v1/chat/completions", "{\"model\":\"second\",\"messages\":[]}",
                    "X-Tollgate-Tenant", "globex"));

            RawHttpClient.Response first = client.read();
            RawHttpClient.Response second = client.read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("\"id\":\"first\"");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"id\":\"second\"");
            assertThat(first.header("X-Tollgate-Request-Id")).isNotEqualTo(second.header("X-Tollgate-Request-Id"));
            // gpt-4o-mini: 10*0.15 + 2*0.6 = 2.7 per 1M tokens
            assertThat(second.header("X-Tollgate-Cost-USD")).isEqualTo("0.000002700");
        }
    }

    @Test
    void aPipelinedRequestBehindARefusalIsStillServed() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send(RawHttpClient.post("/openai/v1/chat/completions", "{\"model\":\"refused\",\"messages\":[]}",
                    "X-Tollgate-Tenant", "initech")
                    + RawHttpClient.post("/openai/v1/chat/completions", "{\"model\":\"served\",\"messages\":[]}",
                    "X-Tollgate-Tenant", "globex"));

            RawHttpClient.Response refused = client.read();
            RawHttpClient.Response served = client.read();

            assertThat(refused.status()).isEqualTo(401);
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.body()).contains("\"id\":\"served\"");
        }
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            RawHttpClient.Response response = client.send(RawHttpClient.post("/openai/v1/chat/completions",
                    "{\"model\":\"bye\",\"messages\":[]}", "X-Tollgate-Tenant", "globex", "Connection", "close")).read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(proxy.metric("tollgate_requests_total", Map.of("tenant", "globex", "model", "gpt-4o-mini", "code", "200")))
                .isGreaterThanOrEqualTo(1);
    }
}
