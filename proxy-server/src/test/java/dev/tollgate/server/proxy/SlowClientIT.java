package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Clients that hold a connection without making progress are cut off; others are not affected. */
class SlowClientIT {

    static TollgateFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        FakeUpstream upstream = FakeUpstream.start(request -> Reply.json("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"));
        proxy = TollgateFixture.start(upstream, "  client_idle_timeout_ms: 600\n  client_body_timeout_ms: 400\n", "");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @Test
    void headerDrippingClientIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            String head = "POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\n";
            boolean closed = false;
            for (int i = 0; i < head.length() && !closed; i++) {
                try {
                    out.write(head.charAt(i));
                    out.flush();
                    Thread.sleep(50);
                } catch (IOException e) {
                    closed = true;
                }
                closed |= isClosed(socket);
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(closed || awaitClosed(socket)).as("slow header connection closed").isTrue();
            assertThat(elapsedMillis).isLessThan(3_000);
        }
    }

    @Test
    void stalledBodyIsClosedAfterTheBodyTimeout() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /openai/v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Tenant: globex\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(awaitClosed(socket)).as("stalled body connection closed").isTrue();
        }
    }

    @Test
    void promptClientsAreServed() throws Exception {
        assertThat(proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}",
                "X-Tollgate-Tenant", "globex").statusCode()).isEqualTo(200);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.tollgate().proxyPort());
        socket.setSoTimeout(100);
        return socket;
    }

    private static boolean isClosed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to 3 s for the server to close the connection. */
    private static boolean awaitClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (in.read() == -1) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open; keep waiting
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }
}
