package dev.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.tollgate.core.budget.BudgetAction;
import dev.tollgate.core.budget.BudgetWindow;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String TEST_HASH = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final Map<String, String> CONTRACT_ENV = Map.of(
            "OPENAI_API_KEY", "sk-openai-test",
            "ANTHROPIC_API_KEY", "sk-ant-test",
            "TOLLGATE_ADMIN_TOKEN", "admin-secret");

    static String resource(String name) throws IOException {
        try (var in = Objects.requireNonNull(ConfigLoaderTest.class.getResourceAsStream("/config/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ProxyConfig contractExample() throws IOException {
        return new ConfigLoader(CONTRACT_ENV::get).parse(resource("contract-example.yaml"), "tollgate.yaml");
    }

    @Test
    void contractExampleLoadsWithEverySetting() throws IOException {
        ProxyConfig config = contractExample();

        assertThat(config.source()).isEqualTo("tollgate.yaml");
        assertThat(config.server()).isEqualTo(new ServerConfig(
                "0.0.0.0", 8080, "127.0.0.1", 9464, "admin-secret", 10_485_760, 5_000, 300_000, 128, 30_000, 60_000, 30_000, 0, 50));
        assertThat(config.routes()).containsExactly(
                new RouteConfig("/openai", ProviderKind.OPENAI, URI.create("https://api.openai.com"),
                        "sk-openai-test", null, true),
                new RouteConfig("/anthropic", ProviderKind.ANTHROPIC, URI.create("https://api.anthropic.com"),
                        "sk-ant-test", null, true),
                new RouteConfig("/local", ProviderKind.OPENAI_COMPATIBLE, URI.create("http://127.0.0.1:8000"),
                        null, "local-gpu", true));
        assertThat(config.tenants()).isEqualTo(new TenantsConfig(
                List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER), "X-Tollgate-Tenant", UnknownTenantPolicy.REJECT,
                List.of("feature", "env"),
                List.of(new TenantConfig(TenantId.of("acme"), List.of(TEST_HASH), List.of(
                        new BudgetConfig(BudgetWindow.MONTHLY, new BigDecimal("500"), BudgetAction.REJECT),
                        new BudgetConfig(BudgetWindow.DAILY, new BigDecimal("40"), BudgetAction.ALERT_ONLY))))));
        assertThat(config.pricing()).isEqualTo(new PricingConfig("builtin",
                List.of(new PriceOverrideConfig("gpt-4o-mini", new BigDecimal("0.15"), new BigDecimal("0.075"),
                        new BigDecimal("0.1875"), new BigDecimal("0.30"), new BigDecimal("0.60"),
                        List.of(new PriceTierConfig(200_000, new BigDecimal("0.30"), null, null, null,
                                new BigDecimal("1.20"))))),
                Map.of("local-gpu", new GpuProfileConfig(new BigDecimal("2.49"), 1, 2400)),
                false));
        assertThat(config.metrics()).isEqualTo(new MetricsConfig(200));
        assertThat(config.ledger()).isEqualTo(new LedgerConfig("sqlite", "./tollgate-ledger.db", 400));
    }

    @Test
    void contractExampleNeedsNoProviderKeys() throws IOException {
        ProxyConfig config = new ConfigLoader(name -> null).parse(resource("contract-example.yaml"), "tollgate.yaml");

        assertThat(config.routes()).allSatisfy(route -> assertThat(route.apiKey()).isNull());
        assertThat(config.server().adminToken()).isEmpty();
    }

    @Test
    void omittedSettingsTakeTheContractDefaults() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                routes:
                  - prefix: /openai
                    provider: openai
                    upstream: https://api.openai.com
                """, "minimal.yaml");

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.server()).isEqualTo(new ServerConfig(
                "0.0.0.0", 8080, "127.0.0.1", 9464, "", 10_485_760, 5_000, 300_000, 128, 30_000, 60_000, 30_000, 0, 50));
        assertThat(config.routes().get(0).apiKey()).isNull();
        assertThat(config.routes().get(0).pricingProfile()).isNull();
        assertThat(config.routes().get(0).injectStreamUsage()).isTrue();
        assertThat(config.tenants()).isEqualTo(TenantsConfig.defaults());
        assertThat(config.tenants().identifyBy()).containsExactly(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER);
        assertThat(config.tenants().header()).isEqualTo("X-Tollgate-Tenant");
        assertThat(config.tenants().unknown()).isEqualTo(UnknownTenantPolicy.REJECT);
        assertThat(config.pricing()).isEqualTo(PricingConfig.defaults());
        assertThat(config.pricing().usesBuiltinCatalog()).isTrue();
        assertThat(config.pricing().allowUnpriced()).isFalse();
        assertThat(config.metrics().maxModelsPerProvider()).isEqualTo(200);
        assertThat(config.ledger()).isEqualTo(new LedgerConfig("sqlite", "./tollgate-ledger.db", 400));
    }

    @Test
    void nullSectionsAndValuesMeanDefaults() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                server:
                tenants:
                  header: ~
                  list:
                routes:
                  - {prefix: /o, provider: openai, upstream: "https://api.openai.com", api_key: }
                """, "nulls.yaml");

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.tenants()).isEqualTo(TenantsConfig.defaults());
        assertThat(config.routes().get(0).apiKey()).isNull();
    }

    @Test
    void embeddedDefaultServesThreeRoutesByHeaderAndAttributesUnknownTenants() {
        ProxyConfig config = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-x")::get).loadDefault();

        assertThat(config.source()).isEqualTo(ProxyConfig.EMBEDDED_DEFAULT).isEqualTo("<embedded default>");
        assertThat(config.routes()).extracting(RouteConfig::prefix, RouteConfig::provider, RouteConfig::upstream)
                .containsExactly(
                        tuple("/openai", ProviderKind.OPENAI,
                                URI.create("https://api.openai.com")),
                        tuple("/anthropic", ProviderKind.ANTHROPIC,
                                URI.create("https://api.anthropic.com")),
                        tuple("/local", ProviderKind.OPENAI_COMPATIBLE,
                                URI.create("http://127.0.0.1:8000")));
        assertThat(config.routes()).extracting(RouteConfig::apiKey).containsExactly("sk-x", null, null);
        assertThat(config.tenants().identifyBy()).containsExactly(IdentifyBy.HEADER);
        assertThat(config.tenants().unknown()).isEqualTo(UnknownTenantPolicy.ATTRIBUTE);
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.ledger()).isEqualTo(LedgerConfig.defaults());
        assertThat(ConfigLoader.defaultConfigText()).contains("# ");
    }

    @Test
    void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, """
                routes:
                  - prefix: /openai
                    provider: opneai
                    upstream: https://api.openai.com
                """);

        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3:15: routes[0].provider: 'opneai'"
                        + " (expected: openai, anthropic, openai-compatible or ollama)")
                .satisfies(e -> {
                    var ce = (ConfigException) e;
                    assertThat(ce.source()).isEqualTo(file.toString());
                    assertThat(ce.line()).isEqualTo(3);
                    assertThat(ce.column()).isEqualTo(15);
                    assertThat(ce.path()).isEqualTo("routes[0].provider");
                    assertThat(ce.problem()).startsWith("'opneai'");
                });
    }

    @Test
    void loadsAValidFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tollgate.yaml");
        Files.writeString(file, resource("contract-example.yaml"));

        assertThat(new ConfigLoader(CONTRACT_ENV::get).load(file))
                .isEqualTo(withSource(contractExample(), file.toString()));
    }

    @Test
    void missingFileIsACleanError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": file not found");
    }

    @Test
    void directoryIsACleanError(@TempDir Path dir) {
        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": a directory (expected: a YAML file)");
    }

    @Test
    void nonUtf8FileIsACleanError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> new ConfigLoader(name -> null).load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not UTF-8 text");
    }

    @Test
    void moneyKeepsItsExactDecimalText() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]
                pricing:
                  overrides:
                    - model: m
                      input: 0.075
                      cached_input: "0.0375"
                      cache_write: 1e-3
                      cache_write_1h: 0.000000000001
                      output: 0.30
                tenants:
                  list:
                    - id: t
                      budgets: [{window: weekly, limit_usd: 0.1}]
                """, "money.yaml");

        PriceOverrideConfig price = config.pricing().overrides().get(0);
        assertThat(price.input()).isEqualTo(new BigDecimal("0.075"));
        assertThat(price.input().unscaledValue().longValueExact()).isEqualTo(75);
        assertThat(price.input().scale()).isEqualTo(3);
        assertThat(price.cachedInput()).isEqualTo(new BigDecimal("0.0375"));
        assertThat(price.cacheWrite()).isEqualByComparingTo("0.001");
        assertThat(price.cacheWrite1h()).isEqualTo(new BigDecimal("1E-12"));
        assertThat(price.output()).isEqualTo(new BigDecimal("0.30"));
        BudgetConfig budget = config.tenants().list().get(0).budgets().get(0);
        // 0.1 has no exact double; through double it would be 0.1000000000000000055511151231257827...
        assertThat(budget.limitUsd()).isEqualTo(new BigDecimal("0.1"));
        assertThat(budget.action()).as("default action").isEqualTo(BudgetAction.REJECT);
        assertThat(budget.window()).isEqualTo(BudgetWindow.WEEKLY);
    }

    @Test
    void numbersMayUseUnderscoresAndQuotes() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                server: {port: "8081", max_request_body_bytes: 1_048_576}
                routes: [{prefix: /o, provider: OpenAI, upstream: "https://api.openai.com"}]
                """, "numbers.yaml");

        assertThat(config.server().port()).isEqualTo(8081);
        assertThat(config.server().maxRequestBodyBytes()).isEqualTo(1_048_576);
        assertThat(config.routes().get(0).provider()).isEqualTo(ProviderKind.OPENAI);
    }

    @Test
    void trailingSlashesAreDroppedFromPrefixAndUpstream() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                routes:
                  - {prefix: /openai/, provider: openai, upstream: "https://api.openai.com/"}
                  - {prefix: /, provider: ollama, upstream: "http://localhost:11434/base/"}
                """, "slashes.yaml");

        assertThat(config.routes()).extracting(RouteConfig::prefix).containsExactly("/openai", "/");
        assertThat(config.routes()).extracting(RouteConfig::upstream).containsExactly(
                URI.create("https://api.openai.com"), URI.create("http://localhost:11434/base"));
        assertThat(config.route("/openai")).isPresent();
    }

    @Test
    void catalogMayBeAFile(@TempDir Path dir) throws IOException {
        Path catalog = Files.writeString(dir.resolve("prices.yaml"), "models: {}\n");

        ProxyConfig config = new ConfigLoader(Map.of("CATALOG", catalog.toString())::get).parse("""
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]
                pricing: {catalog: "${CATALOG}", unpriced: allow}
                """, "catalog.yaml");

        assertThat(config.pricing().catalog()).isEqualTo(catalog.toString());
        assertThat(config.pricing().usesBuiltinCatalog()).isFalse();
        assertThat(config.pricing().allowUnpriced()).isTrue();
    }

    @Test
    void routeToStringNeverShowsTheKey() throws IOException {
        assertThat(contractExample().routes().get(0).toString()).doesNotContain("sk-openai-test").contains("***");
    }

    static ProxyConfig withSource(ProxyConfig config, String source) {
        return new ProxyConfig(config.server(), config.routes(), config.tenants(), config.pricing(), config.metrics(),
                config.ledger(), source);
    }
}
