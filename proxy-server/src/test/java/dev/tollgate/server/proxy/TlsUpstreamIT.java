package dev.tollgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.testing.FakeUpstream;
import dev.tollgate.server.testing.FakeUpstream.Reply;
import dev.tollgate.server.testing.TollgateFixture;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code https} upstream: the proxy speaks TLS to it with SNI and hostname verification, trusting
 * it through the JVM's trust store ({@code -Djavax.net.ssl.trustStore}, as an operator would for an
 * internal CA), and still reads the usage.
 */
class TlsUpstreamIT {

    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static FakeUpstream upstream;
    static TollgateFixture proxy;
    static String savedTrustStore;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("upstream.p12");
        Path truststore = dir.resolve("trust.p12");
        Path cert = dir.resolve("upstream.pem");
        keytool("-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "upstream", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "upstream", "-file", cert.toString(), "-keystore", truststore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SslContext server = SslContextBuilder.forServer(kmf).build();
        upstream = FakeUpstream.startTls(request -> Reply.json(
                "{\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20}}"), server);

        savedTrustStore = System.getProperty("javax.net.ssl.trustStore");
        System.setProperty("javax.net.ssl.trustStore", truststore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        proxy = TollgateFixture.start(upstream);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        if (savedTrustStore == null) {
            System.clearProperty("javax.net.ssl.trustStore");
        } else {
            System.setProperty("javax.net.ssl.trustStore", savedTrustStore);
        }
        System.clearProperty("javax.net.ssl.trustStorePassword");
        System.clearProperty("javax.net.ssl.trustStoreType");
    }

    @Test
    void requestsReachAnHttpsUpstreamAndAreCounted() throws Exception {
        HttpResponse<String> response = proxy.post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[]}",
                "Authorization", "Bearer " + TollgateFixture.ACME_KEY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // gpt-4o-mini: 100 x 0.15 + 20 x 0.60 per 1M tokens
        assertThat(response.headers().firstValue("X-Tollgate-Cost-USD")).hasValue("0.000027000");
        assertThat(upstream.lastRequest().headers().get("Host")).isEqualTo(upstream.uri().getAuthority());
        assertThat(upstream.lastRequest().headers().get("Authorization")).isEqualTo("Bearer " + TollgateFixture.UPSTREAM_OPENAI_KEY);
        assertThat(proxy.metric("tollgate_tokens_total", Map.of("tenant", "acme", "token_type", "input"))).isEqualTo(100);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
