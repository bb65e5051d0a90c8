package dev.tollgate.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.RawHttpClient;
import dev.tollgate.server.testing.TollgateFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests, byte for byte on raw sockets: each gets a clear refusal before any
 * upstream call, and the proxy goes on serving the next request.
 */
class BadInputIT {

    static FakeUpstream upstream;
    static TollgateFixture proxy;
    static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start(request -> Reply.json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}"));
        proxy = TollgateFixture.start(upstream, "  max_request_body_bytes: 4096\n", "");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @AfterEach
    void proxyStillServes() throws Exception {
        assertThat(proxy.post("/openai/v1/chat/completions", CHAT, "X-Tollgate-Tenant", "globex").statusCode()).isEqualTo(200);
    }

    @Test
    void invalidUtf8InTheBodyIs400AndNeverForwarded() throws Exception {
        int forwarded = upstream.requests().size();
        byte[] head = ("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\n"
                + "Content-Type: application/json\r\nContent-Length: 33\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = "{\"model\":\"gpt-4o\",\"messages\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1); // a lone 0xFF
        assertThat(body).hasSize(33);
        RawHttpClient.Response response = sendBytes(concat(head, body));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("UTF-8");
        assertThat(upstream.requests()).hasSize(forwarded);
    }

    @Test
    void bodyOverTheLimitIs413BeforeTheUpstream() throws Exception {
        int forwarded = upstream.requests().size();
        String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000) + "\"}]}";
        assertThat(proxy.post("/openai/v1/chat/completions", big, "X-Tollgate-Tenant", "globex").statusCode()).isEqualTo(413);
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            // Chunked, so the size is only known as it arrives.
            client.send("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + "1000\r\n" + "x".repeat(4096) + "\r\n" + "10\r\n" + "y".repeat(16)
                    + "\r\n0\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        assertThat(upstream.requests()).hasSize(forwarded);
    }

    @Test
    void conflictingContentLengthAndTransferEncodingIsRefusedAndClosed() throws Exception {
        int forwarded = upstream.requests().size();
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\n"
                    + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nPOST /openai/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(400);
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(upstream.requests()).hasSize(forwarded);
        assertThat(upstream.requests()).noneMatch(r -> r.uri().contains("smuggled"));
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send("GET /openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\nX-Big: "
                    + "a".repeat(40_000) + "\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isIn(400, 431);
        }
    }

    @Test
    void crlfInjectedHeaderIsRefused() throws Exception {
        int forwarded = upstream.requests().size();
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            // A bare CR inside a header value is how header injection reaches a proxy.
            client.send("GET /openai/v1/models HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\rX-Injected: yes\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(400);
        }
        assertThat(upstream.requests()).hasSize(forwarded);
    }

    @Test
    void garbageInsteadOfHttpIsRefused() throws Exception {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            client.send("\u0016\u0003\u0001 this is not HTTP at all\r\n\r\n");
            RawHttpClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
        } catch (IOException closed) {
            // Closing the connection outright is an acceptable answer to bytes that are not HTTP.
        }
    }

    private static RawHttpClient.Response sendBytes(byte[] bytes) throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(proxy.tollgate().proxyPort())) {
            OutputStream out = client.socket().getOutputStream();
            out.write(bytes);
            out.flush();
            return client.read();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
