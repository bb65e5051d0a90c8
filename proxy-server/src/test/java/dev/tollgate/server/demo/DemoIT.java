package dev.tollgate.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.server.Tollgate;
import dev.tollgate.server.Transport;
import dev.tollgate.server.testing.TollgateFixture.MetricsText;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's simulated upstream and traffic, through a real proxy: every tenant shows spend. */
class DemoIT {

    @Test
    void syntheticTrafficShowsUpAsTokensAndCostPerTenant() throws Exception {
        Map<String, String> env = Map.of("TOLLGATE_DEMO_PORT", "0", "TOLLGATE_DEMO_ADMIN_PORT", "0");
        try (SimulatedUpstream upstream = SimulatedUpstream.start(Transport.best());
                Tollgate tollgate = Tollgate.start(DemoCommand.config(upstream.uri(), env::get));
                SyntheticTraffic traffic = new SyntheticTraffic(URI.create("http://127.0.0.1:" + tollgate.proxyPort()))) {
            traffic.start(40, Duration.ofHours(1), new PrintStream(new ByteArrayOutputStream()));

            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + tollgate.adminPort() + "/metrics");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String text = "";
            while (System.nanoTime() < deadline && !allTenantsSpent(text)) {
                Thread.sleep(250);
                text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(allTenantsSpent(text)).as("every demo tenant has cost and reported output tokens").isTrue();
            assertThat(MetricsText.value(text, "tollgate_tokens_total",
                    Map.of("tenant", "acme", "source", "estimated"))).as("the simulated upstream always reports usage").isZero();
            assertThat(traffic.summary()).containsKey(200);
        }
    }

    private static boolean allTenantsSpent(String text) {
        for (String tenant : new String[] {"acme", "globex", "initech"}) {
            if (MetricsText.value(text, "tollgate_cost_usd_total", Map.of("tenant", tenant)) <= 0
                    || MetricsText.value(text, "tollgate_tokens_total",
                            Map.of("tenant", tenant, "token_type", "output", "source", "reported")) <= 0) {
                return false;
            }
        }
        return true;
    }
}
