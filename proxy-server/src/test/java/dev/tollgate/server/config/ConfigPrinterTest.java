package dev.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {

    private final ConfigLoader loader = new ConfigLoader(name -> null);

    @Test
    void masksConfiguredSecrets() throws IOException {
        String yaml = ConfigPrinter.toYaml(ConfigLoaderTest.contractExample());

        assertThat(yaml).doesNotContain("sk-openai-test", "sk-ant-test", "admin-secret");
        assertThat(yaml).contains("admin_token: '***'", "api_key: '***'");
        assertThat(yaml).startsWith("# Resolved from tollgate.yaml; secrets are shown as ***.\n");
    }

    @Test
    void printsEverySettingReadably() throws IOException {
        String yaml = ConfigPrinter.toYaml(ConfigLoaderTest.contractExample());

        assertThat(yaml).contains(
                "  port: 8080\n",
                "  max_connections_per_route: 128\n",
                "  - prefix: /local\n",
                "  provider: openai-compatible\n",
                "  upstream: http://127.0.0.1:8000\n",
                "  pricing_profile: local-gpu\n",
                "  identify_by:\n    - virtual_key\n    - header\n",
                "cached_input: 0.075\n",
                "cache_write_1h: 0.30\n",
                "from_input_tokens: 200000\n",
                "action: alert_only\n",
                "unpriced: reject\n",
                ConfigLoaderTest.TEST_HASH);
    }

    @Test
    void contractExampleRoundTripsExceptForMaskedSecrets() throws IOException {
        ProxyConfig original = ConfigLoaderTest.contractExample();

        ProxyConfig reloaded = loader.parse(ConfigPrinter.toYaml(original), original.source());

        assertThat(reloaded.server().adminToken()).isEqualTo(ConfigPrinter.MASK);
        assertThat(reloaded.routes()).extracting(RouteConfig::apiKey).containsExactly("***", "***", null);
        assertThat(reloaded).usingRecursiveComparison()
                .ignoringFields("server.adminToken", "routes.apiKey")
                .isEqualTo(original);
        assertThat(reloaded.pricing()).isEqualTo(original.pricing());
        assertThat(reloaded.tenants()).isEqualTo(original.tenants());
    }

    @Test
    void configWithoutSecretsRoundTripsToAnEqualConfig() throws IOException {
        ProxyConfig original = new ConfigLoader(name -> null)
                .parse(ConfigLoaderTest.resource("contract-example.yaml"), "tollgate.yaml");

        String printed = ConfigPrinter.toYaml(original);

        assertThat(loader.parse(printed, "tollgate.yaml")).isEqualTo(original);
        assertThat(ConfigPrinter.toYaml(loader.parse(printed, "tollgate.yaml"))).isEqualTo(printed);
    }

    @Test
    void embeddedDefaultRoundTrips() {
        ProxyConfig original = loader.loadDefault();

        assertThat(loader.parse(ConfigPrinter.toYaml(original), ProxyConfig.EMBEDDED_DEFAULT)).isEqualTo(original);
    }

    @Test
    void awkwardStringsAndExactNumbersRoundTrip() {
        ProxyConfig original = new ConfigLoader(Map.of("WEIRD", "${NOT_A_REF} # x: 'y'")::get).parse("""
                ledger: {sink: jsonl, path: "${WEIRD}", retention_days: 1}
                server: {bind: "::", port: 0, admin_port: 0}
                routes:
                  - {prefix: "/v1:x", provider: ollama, upstream: "http://[::1]:11434"}
                tenants:
                  list:
                    - id: "1.0"
                      budgets: [{window: monthly, limit_usd: 0.000000000001}]
                    - id: "true"
                    - id: "null"
                pricing:
                  overrides:
                    - {model: "yes", input: "1e-7", output: 1E+2}
                    - {model: "123", input: 0, output: 0.10}
                  profiles:
                    "on": {gpu_hour_usd: 2.490, tokens_per_second: 1}
                """, "weird.yaml");

        ProxyConfig reloaded = loader.parse(ConfigPrinter.toYaml(original), "weird.yaml");

        assertThat(original.ledger().path()).isEqualTo("${NOT_A_REF} # x: 'y'");
        assertThat(reloaded).isEqualTo(original);
        assertThat(reloaded.pricing().overrides().get(0).output()).isEqualTo(new BigDecimal("1E+2"));
    }
}
