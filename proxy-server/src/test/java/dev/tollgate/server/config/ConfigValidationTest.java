package dev.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejected config names file, line, column and key path; the cases are grouped by section. */
class ConfigValidationTest {

    private static final String ROUTE = """
            routes:
              - prefix: /openai
                provider: openai
                upstream: https://api.openai.com
            """;
    private static final String HASH_A = "sha256:" + "a".repeat(64);

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                // structure and typos
                arguments("unknown top-level key", """
                        rotues: []
                        """, "test.yaml:1:1: rotues: unknown key, did you mean 'routes'?"
                        + " (expected: server, routes, tenants, pricing, metrics or ledger)"),
                arguments("unknown nested key", """
                        routes:
                          - prefix: /openai
                            provdier: openai
                        """, "test.yaml:3:5: routes[0].provdier: unknown key, did you mean 'provider'?"
                        + " (expected: prefix, provider, upstream, api_key, pricing_profile or inject_stream_usage)"),
                arguments("unknown key without a close match", ROUTE + """
                        server:
                          colour: blue
                        """, "test.yaml:6:3: server.colour: unknown key (expected: bind, port, admin_bind, admin_port,"
                        + " admin_token, max_request_body_bytes, upstream_connect_timeout_ms, upstream_idle_timeout_ms"
                        + ", max_connections_per_route, shutdown_grace_ms, client_idle_timeout_ms, client_body_timeout_ms"
                        + ", io_threads or busy_poll_us)"),
                arguments("routes missing", """
                        server: {port: 8080}
                        """, "test.yaml:1:1: routes: missing"
                        + " (expected: a list of routes, each with prefix, provider and upstream)"),
                arguments("routes empty", """
                        routes: []
                        """, "test.yaml:1:9: routes: no routes"
                        + " (expected: at least one route, each with prefix, provider and upstream)"),
                arguments("routes not a list", """
                        routes:
                          openai: https://api.openai.com
                        """, "test.yaml:2:3: routes: a mapping"
                        + " (expected: a list of routes, each with prefix, provider and upstream)"),
                arguments("section not a mapping", ROUTE + """
                        server: [8080]
                        """, "test.yaml:5:9: server: a list (expected: a mapping with keys bind, port, admin_bind,"
                        + " admin_port, admin_token, max_request_body_bytes, upstream_connect_timeout_ms,"
                        + " upstream_idle_timeout_ms, max_connections_per_route, shutdown_grace_ms, client_idle_timeout_ms, client_body_timeout_ms,"
                        + " io_threads, busy_poll_us)"),
                arguments("empty document", """
                        # nothing yet
                        """, "test.yaml: no settings (expected: a YAML mapping with at least 'routes')"),
                arguments("duplicate YAML key", ROUTE + """
                        server:
                          port: 1
                          port: 2
                        """, "test.yaml:7:3: server.port: duplicate key (first at line 6)"),
                arguments("alias", ROUTE + """
                        server:
                          port: &p 8081
                          admin_port: *p
                        """, "test.yaml:7:15: server.admin_port: alias *p (expected: plain values; aliases are not supported)"),
                arguments("second document", ROUTE + """
                        ---
                        server: {}
                        """, "test.yaml:6:1: a second YAML document (expected: one document)"),

                // server
                arguments("port not a number", ROUTE + """
                        server:
                          port: eighty
                        """, "test.yaml:6:9: server.port: 'eighty' (expected: an integer 0-65535)"),
                arguments("port out of range", ROUTE + """
                        server:
                          port: 70000
                        """, "test.yaml:6:9: server.port: 70000 (expected: an integer 0-65535)"),
                arguments("negative io_threads", ROUTE + """
                        server:
                          io_threads: -1
                        """, "test.yaml:6:15: server.io_threads: -1 (expected: an integer 0-1024)"),
                arguments("busy poll beyond a second", ROUTE + """
                        server:
                          busy_poll_us: 5000
                        """, "test.yaml:6:17: server.busy_poll_us: 5000 (expected: an integer 0-1000)"),
                arguments("port a fraction", ROUTE + """
                        server: {port: 80.5}
                        """, "test.yaml:5:16: server.port: '80.5' (expected: an integer 0-65535)"),
                arguments("body limit zero", ROUTE + """
                        server: {max_request_body_bytes: 0}
                        """, "test.yaml:5:34: server.max_request_body_bytes: 0 (expected: an integer >= 1)"),
                arguments("ports clash", ROUTE + """
                        server:
                          port: 9000
                          admin_port: 9000
                        """, "test.yaml:7:15: server.admin_port: 9000 (expected: a port other than server.port 9000,"
                        + " since both listeners share an address)"),
                arguments("bind not an address", ROUTE + """
                        server: {bind: "http://0.0.0.0"}
                        """, "test.yaml:5:16: server.bind: 'http://0.0.0.0'"
                        + " (expected: an IP address or host name, such as 0.0.0.0 or 127.0.0.1)"),

                // routes
                arguments("unknown provider", """
                        routes:
                          - prefix: /openai
                            provider: openai
                            upstream: https://api.openai.com
                          - prefix: /other
                            provider: opneai
                            upstream: https://example.com
                        """, "test.yaml:6:15: routes[1].provider: 'opneai'"
                        + " (expected: openai, anthropic, openai-compatible or ollama)"),
                arguments("duplicate prefix", ROUTE + """
                          - prefix: /openai/
                            provider: openai-compatible
                            upstream: http://127.0.0.1:8000
                        """, "test.yaml:5:13: routes[1].prefix: '/openai' is already the prefix of routes[0].prefix"
                        + " (expected: each prefix once)"),
                arguments("prefix without slash", """
                        routes:
                          - prefix: openai
                            provider: openai
                            upstream: https://api.openai.com
                        """, "test.yaml:2:13: routes[0].prefix: 'openai'"
                        + " (expected: a path such as /openai: starting with '/', no empty segment, no query)"),
                arguments("prefix with empty segment", """
                        routes:
                          - {prefix: //openai, provider: openai, upstream: "https://api.openai.com"}
                        """, "test.yaml:2:14: routes[0].prefix: '//openai'"
                        + " (expected: a path such as /openai: starting with '/', no empty segment, no query)"),
                arguments("upstream with another scheme", """
                        routes:
                          - prefix: /openai
                            provider: openai
                            upstream: ftp://api.openai.com
                        """, "test.yaml:4:15: routes[0].upstream: 'ftp://api.openai.com' (expected: an http or https URL"
                        + " such as https://api.openai.com, without query or credentials)"),
                arguments("upstream without scheme", """
                        routes:
                          - prefix: /openai
                            provider: openai
                            upstream: api.openai.com
                        """, "test.yaml:4:15: routes[0].upstream: 'api.openai.com' (expected: an http or https URL"
                        + " such as https://api.openai.com, without query or credentials)"),
                arguments("upstream with credentials is not echoed", """
                        routes:
                          - prefix: /openai
                            provider: openai
                            upstream: https://user:s3cret@api.openai.com
                        """, "test.yaml:4:15: routes[0].upstream: a URL with credentials (expected: an http or https URL"
                        + " such as https://api.openai.com, without query or credentials)"),
                arguments("upstream missing", """
                        routes:
                          - prefix: /openai
                            provider: openai
                        """, "test.yaml:2:5: routes[0].upstream: missing"
                        + " (expected: an http or https URL such as https://api.openai.com)"),
                arguments("inject_stream_usage not a boolean", ROUTE + """
                            inject_stream_usage: sometimes
                        """, "test.yaml:5:26: routes[0].inject_stream_usage: 'sometimes' (expected: true or false)"),
                arguments("undefined pricing profile", """
                        routes:
                          - prefix: /local
                            provider: openai-compatible
                            upstream: http://127.0.0.1:8000
                            pricing_profile: local-gpu
                        pricing:
                          profiles:
                            big-gpu: {gpu_hour_usd: 2.49, tokens_per_second: 2400}
                        """, "test.yaml:5:22: routes[0].pricing_profile: 'local-gpu' is not defined"
                        + " (expected: one of pricing.profiles: big-gpu)"),
                arguments("pricing profile with no profiles", ROUTE + """
                            pricing_profile: local-gpu
                        """, "test.yaml:5:22: routes[0].pricing_profile: 'local-gpu' is not defined"
                        + " (expected: a name under pricing.profiles, which defines none)"),

                // tenants
                arguments("duplicate tenant id", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                            - id: beta
                            - id: acme
                        """, "test.yaml:9:11: tenants.list[2].id: 'acme' is already the id of tenants.list[0].id"
                        + " (expected: each tenant once)"),
                arguments("invalid tenant id", ROUTE + """
                        tenants:
                          list:
                            - id: "acme corp"
                        """, "test.yaml:7:11: tenants.list[0].id: 'acme corp'"
                        + " (expected: 1-64 of letters, digits, '.', '_', '-', starting with a letter or digit)"),
                arguments("reserved tenant id", ROUTE + """
                        tenants:
                          list:
                            - id: unknown
                        """, "test.yaml:7:11: tenants.list[0].id: 'unknown' is what metrics call requests without a tenant"
                        + " (expected: another id)"),
                arguments("malformed key hash", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              keys: ["sha256:9f86d0"]
                        """, "test.yaml:8:14: tenants.list[0].keys[0]: not a key hash (expected: sha256: followed by 64"
                        + " lowercase hex digits, as printed by 'java -jar tollgate.jar keygen --tenant acme')"),
                arguments("upper-case key hash", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              keys: ["sha256:%s"]
                        """.formatted("A".repeat(64)),
                        "test.yaml:8:14: tenants.list[0].keys[0]: hex digits in upper case"
                        + " (expected: sha256: followed by 64 lowercase hex digits)"),
                arguments("plaintext key", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              keys:
                                - tg-Qm9vbS1zZWNyZXQta2V5LWRvLW5vdC1sZWFr
                        """, "test.yaml:9:11: tenants.list[0].keys[0]: a plaintext virtual key: only its hash may appear"
                        + " in the config (expected: sha256: followed by 64 lowercase hex digits;"
                        + " 'java -jar tollgate.jar keygen --tenant acme' prints a new key and its hash line)"),
                arguments("key hash in two tenants", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              keys: ["%s"]
                            - id: beta
                              keys: ["%s"]
                        """.formatted(HASH_A, HASH_A),
                        "test.yaml:10:14: tenants.list[1].keys[0]: the same key hash as tenants.list[0].keys[0]"
                        + " (expected: each key in one place only)"),
                arguments("budget limit zero", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets:
                                - {window: monthly, limit_usd: 0}
                        """, "test.yaml:9:40: tenants.list[0].budgets[0].limit_usd: 0 (expected: a decimal number > 0)"),
                arguments("budget limit negative", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets:
                                - window: monthly
                                  limit_usd: -5
                        """, "test.yaml:10:22: tenants.list[0].budgets[0].limit_usd: -5 (expected: a decimal number > 0)"),
                arguments("budget limit missing", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets:
                                - window: monthly
                        """, "test.yaml:9:11: tenants.list[0].budgets[0].limit_usd: missing (expected: a USD amount > 0)"),
                arguments("budget window unknown", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets: [{window: yearly, limit_usd: 1}]
                        """, "test.yaml:8:26: tenants.list[0].budgets[0].window: 'yearly'"
                        + " (expected: daily, weekly or monthly)"),
                arguments("two budgets for one window", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets:
                                - {window: daily, limit_usd: 1}
                                - {window: daily, limit_usd: 2, action: alert_only}
                        """, "test.yaml:10:20: tenants.list[0].budgets[1].window: 'daily' is already the window of"
                        + " tenants.list[0].budgets[0].window (expected: one budget per window)"),
                arguments("budget action unknown", ROUTE + """
                        tenants:
                          list:
                            - id: acme
                              budgets: [{window: daily, limit_usd: 1, action: block}]
                        """, "test.yaml:8:55: tenants.list[0].budgets[0].action: 'block' (expected: reject or alert_only)"),
                arguments("identify_by unknown mode", ROUTE + """
                        tenants:
                          identify_by: [virtual_key, cookie]
                        """, "test.yaml:6:30: tenants.identify_by[1]: 'cookie' (expected: virtual_key or header)"),
                arguments("identify_by empty", ROUTE + """
                        tenants:
                          identify_by: []
                        """, "test.yaml:6:16: tenants.identify_by: no modes"
                        + " (expected: a list of modes, such as [virtual_key, header])"),
                arguments("identify_by not a list", ROUTE + """
                        tenants:
                          identify_by: header
                        """, "test.yaml:6:16: tenants.identify_by: a value"
                        + " (expected: a list of modes, such as [virtual_key, header])"),
                arguments("unknown policy unknown", ROUTE + """
                        tenants: {unknown: allow}
                        """, "test.yaml:5:20: tenants.unknown: 'allow' (expected: reject or attribute)"),
                arguments("header not a header name", ROUTE + """
                        tenants: {header: "X Tenant"}
                        """, "test.yaml:5:19: tenants.header: 'X Tenant' (expected: an HTTP header name such as"
                        + " X-Tollgate-Tenant)"),
                arguments("attribution tag not a label name", ROUTE + """
                        tenants:
                          attribution_tags: [feature, 2fa]
                        """, "test.yaml:6:31: tenants.attribution_tags[1]: '2fa' (expected: a Prometheus label name:"
                        + " letters, digits and '_', not starting with a digit or '__')"),
                arguments("attribution tag reserved by Prometheus", ROUTE + """
                        tenants:
                          attribution_tags: [__name__]
                        """, "test.yaml:6:22: tenants.attribution_tags[0]: '__name__' (expected: a Prometheus label name:"
                        + " letters, digits and '_', not starting with a digit or '__')"),
                arguments("attribution tag clashing with tollgate's labels", ROUTE + """
                        tenants:
                          attribution_tags: [feature, model]
                        """, "test.yaml:6:31: tenants.attribution_tags[1]: 'model' is a label of Tollgate's own metrics"
                        + " (expected: a name other than code, instance, job, le, model, provider, quantile, reason,"
                        + " route, sink, source, tenant, token_type, window)"),
                arguments("attribution tag twice", ROUTE + """
                        tenants:
                          attribution_tags: [env, env]
                        """, "test.yaml:6:27: tenants.attribution_tags[1]: 'env' is listed twice (expected: each tag once)"),

                // pricing
                arguments("price not a number", ROUTE + """
                        pricing:
                          overrides:
                            - {model: m, input: cheap, output: 1}
                        """, "test.yaml:7:25: pricing.overrides[0].input: 'cheap' (expected: a decimal number >= 0)"),
                arguments("price NaN", ROUTE + """
                        pricing:
                          overrides:
                            - {model: m, input: .nan, output: 1}
                        """, "test.yaml:7:25: pricing.overrides[0].input: '.nan' (expected: a decimal number >= 0)"),
                arguments("price negative", ROUTE + """
                        pricing:
                          overrides:
                            - {model: m, input: 1, output: -0.5}
                        """, "test.yaml:7:36: pricing.overrides[0].output: -0.5 (expected: a decimal number >= 0)"),
                arguments("price too precise", ROUTE + """
                        pricing:
                          overrides:
                            - {model: m, input: 0.0000000000001, output: 1}
                        """, "test.yaml:7:25: pricing.overrides[0].input: 0.0000000000001"
                        + " (expected: at most 12 decimal places)"),
                arguments("price output missing", ROUTE + """
                        pricing:
                          overrides:
                            - model: m
                              input: 1
                        """, "test.yaml:7:7: pricing.overrides[0].output: missing"
                        + " (expected: USD per 1M tokens, a decimal number >= 0)"),
                arguments("override twice for a model", ROUTE + """
                        pricing:
                          overrides:
                            - {model: m, input: 1, output: 2}
                            - {model: m, input: 1, output: 3}
                        """, "test.yaml:8:15: pricing.overrides[1].model: 'm' is already the model of"
                        + " pricing.overrides[0].model (expected: one override per model)"),
                arguments("tiers not ascending", ROUTE + """
                        pricing:
                          overrides:
                            - model: m
                              input: 1
                              output: 2
                              tiers:
                                - {from_input_tokens: 200000, input: 2, output: 4}
                                - {from_input_tokens: 128000, input: 3, output: 6}
                        """, "test.yaml:12:31: pricing.overrides[0].tiers[1].from_input_tokens: 128000"
                        + " (expected: more than the previous tier's 200000; tiers ascend)"),
                arguments("catalog file missing", ROUTE + """
                        pricing: {catalog: ./no-such-catalog.yaml}
                        """, "test.yaml:5:20: pricing.catalog: './no-such-catalog.yaml' is not a readable file"
                        + " (expected: builtin, or the path of a YAML price catalog, relative to the working directory "
                        + Path.of("").toAbsolutePath() + ")"),
                arguments("profile throughput zero", ROUTE + """
                        pricing:
                          profiles:
                            gpu: {gpu_hour_usd: 2.49, tokens_per_second: 0}
                        """, "test.yaml:7:50: pricing.profiles.gpu.tokens_per_second: 0 (expected: an integer >= 1)"),
                arguments("profile GPU price zero", ROUTE + """
                        pricing:
                          profiles:
                            gpu: {gpu_hour_usd: 0, tokens_per_second: 10}
                        """, "test.yaml:7:25: pricing.profiles.gpu.gpu_hour_usd: 0 (expected: a decimal number > 0)"),
                arguments("unpriced policy unknown", ROUTE + """
                        pricing: {unpriced: maybe}
                        """, "test.yaml:5:21: pricing.unpriced: 'maybe' (expected: allow or reject)"),

                // metrics and ledger
                arguments("max models zero", ROUTE + """
                        metrics: {max_models_per_provider: 0}
                        """, "test.yaml:5:36: metrics.max_models_per_provider: 0 (expected: an integer 1-100000)"),
                arguments("ledger sink unknown", ROUTE + """
                        ledger: {sink: postgres}
                        """, "test.yaml:5:16: ledger.sink: 'postgres' (expected: sqlite, jsonl or none)"),
                arguments("retention zero", ROUTE + """
                        ledger:
                          retention_days: 0
                        """, "test.yaml:6:19: ledger.retention_days: 0 (expected: an integer >= 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectsWithFileLineColumnAndKey(String description, String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .hasNoCause();
    }

    @Test
    void plaintextKeyIsNeverEchoed() {
        String key = "tg-Qm9vbS1zZWNyZXQta2V5LWRvLW5vdC1sZWFr";
        var error = catchThrowableOfType(ConfigException.class, () -> parse(ROUTE + """
                tenants:
                  list:
                    - id: acme
                      keys: [%s]
                """.formatted(key)));

        assertThat(error.getMessage()).doesNotContain(key).contains("keygen --tenant acme");
    }

    @Test
    void malformedYamlIsReportedWhereTheParserStopped() {
        var error = catchThrowableOfType(ConfigException.class, () -> parse("""
                routes:
                  - prefix: /openai
                    provider: [openai
                    upstream: https://api.openai.com
                """));

        assertThat(error.line()).isEqualTo(4);
        assertThat(error.getMessage()).startsWith("test.yaml:4:13: invalid YAML: while parsing a flow sequence; ").doesNotContain("\n");
    }

    @Test
    void tabIndentationIsInvalidYaml() {
        var error = catchThrowableOfType(ConfigException.class, () -> parse("routes:\n\t- prefix: /x\n"));

        assertThat(error.getMessage()).isEqualTo("test.yaml:2:1: invalid YAML: while scanning for the next token;"
                + " found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void exceptionPartsAreAvailableSeparately() {
        var error = catchThrowableOfType(ConfigException.class, () -> parse(ROUTE + "server: {port: 70000}\n"));

        assertThat(error.source()).isEqualTo("test.yaml");
        assertThat(error.line()).isEqualTo(5);
        assertThat(error.column()).isEqualTo(16);
        assertThat(error.path()).isEqualTo("server.port");
        assertThat(error.problem()).isEqualTo("70000 (expected: an integer 0-65535)");
    }

    @Test
    void keyHashWithSurroundingSpaceIsAccepted() {
        ProxyConfig config = parse(ROUTE + """
                tenants:
                  list:
                    - id: acme
                      keys: [" %s "]
                """.formatted(HASH_A));

        assertThat(config.tenants().list().get(0).keyHashes()).containsExactly(HASH_A);
    }

    private static ProxyConfig parse(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
    }
}
