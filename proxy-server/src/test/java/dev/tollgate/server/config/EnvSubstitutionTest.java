package dev.tollgate.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvSubstitutionTest {

    private static final Map<String, String> ENV = Map.of("HOST", "api.example.com", "EMPTY", "", "PORT", "8443");
    private final EnvSubstitution substitution = new EnvSubstitution(ENV::get);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "plain text                    | plain text",
            "${HOST}                       | api.example.com",
            "https://${HOST}:${PORT}/v1    | https://api.example.com:8443/v1",
            "${MISSING:-fallback}          | fallback",
            "${EMPTY:-fallback}            | fallback",
            "${HOST:-fallback}             | api.example.com",
            "${MISSING:-}                  | ''",
            "${MISSING:-a:-b}              | a:-b",
            "$${HOST}                      | ${HOST}",
            "cost $5                       | cost $5",
            "$$                            | $$",
            "$$${HOST}                     | $${HOST}",
    })
    void substitutes(String text, String expected) {
        assertThat(substitution.apply(text, false)).isEqualTo(expected);
    }

    @Test
    void setButEmptyVariableIsUsedWithoutDefault() {
        assertThat(substitution.apply("[${EMPTY}]", false)).isEqualTo("[]");
    }

    @Test
    void unsetVariableIsAnErrorNamingIt() {
        assertThatThrownBy(() -> substitution.apply("${OPENAI_API_KEY}", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable OPENAI_API_KEY is not set"
                        + " (expected: set it, or give a default: ${OPENAI_API_KEY:-value})");
    }

    @Test
    void unsetVariableIsEmptyWhereTheCallerAllowsIt() {
        assertThat(substitution.apply("${OPENAI_API_KEY}", true)).isEmpty();
    }

    @Test
    void unclosedReferenceIsAnError() {
        assertThatThrownBy(() -> substitution.apply("sk-${HOST", false))
                .hasMessage("unclosed '${' (expected: ${NAME} or ${NAME:-default}; write $${ for a literal ${)");
    }

    @Test
    void badVariableNameIsAnError() {
        assertThatThrownBy(() -> substitution.apply("${1HOST}", false))
                .hasMessage("'${1HOST}' is not a variable reference"
                        + " (expected: ${NAME} or ${NAME:-default}, NAME made of letters, digits and '_')");
    }

    @Test
    void loaderSubstitutesEveryScalarKindAndReportsWhere() {
        var env = Map.of("PORT", "9000", "TOKEN", "t0k", "PREFIX", "/ai", "TAG", "team", "LIMIT", "12.50");
        ProxyConfig config = new ConfigLoader(env::get).parse("""
                server:
                  port: ${PORT}
                  admin_port: ${ADMIN_PORT:-9999}
                  admin_token: "${TOKEN}"
                routes:
                  - prefix: ${PREFIX}
                    provider: ${PROVIDER:-anthropic}
                    upstream: https://${UPSTREAM_HOST:-api.anthropic.com}
                    inject_stream_usage: ${INJECT:-false}
                tenants:
                  attribution_tags: [feature, "${TAG}"]
                  list:
                    - id: ${TENANT:-acme}
                      budgets: [{window: daily, limit_usd: "${LIMIT}"}]
                """, "env.yaml");

        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.server().adminPort()).isEqualTo(9999);
        assertThat(config.server().adminToken()).isEqualTo("t0k");
        RouteConfig route = config.routes().get(0);
        assertThat(route.prefix()).isEqualTo("/ai");
        assertThat(route.provider().configName()).isEqualTo("anthropic");
        assertThat(route.upstream()).hasToString("https://api.anthropic.com");
        assertThat(route.injectStreamUsage()).isFalse();
        assertThat(config.tenants().attributionTags()).containsExactly("feature", "team");
        assertThat(config.tenants().list().get(0).id().value()).isEqualTo("acme");
        assertThat(config.tenants().list().get(0).budgets().get(0).limitUsd()).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void loaderReportsAnUnsetVariableWithFileLineAndKey() {
        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse("""
                routes:
                  - prefix: /openai
                    provider: openai
                    upstream: ${OPENAI_UPSTREAM}
                """, "tollgate.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tollgate.yaml:4:15: routes[0].upstream: environment variable OPENAI_UPSTREAM is not set"
                        + " (expected: set it, or give a default: ${OPENAI_UPSTREAM:-value})");
    }

    @Test
    void unsetAdminTokenWithoutDefaultIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(name -> null).parse("""
                server: {admin_token: "${TOLLGATE_ADMIN_TOKEN}"}
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:1:23: server.admin_token: environment variable TOLLGATE_ADMIN_TOKEN");
    }

    @Test
    void unsetOrEmptyApiKeyMeansNoKey() {
        ProxyConfig config = new ConfigLoader(Map.of("EMPTY_KEY", "")::get).parse("""
                routes:
                  - {prefix: /a, provider: openai, upstream: "https://a.example", api_key: "${UNSET_KEY}"}
                  - {prefix: /b, provider: openai, upstream: "https://b.example", api_key: "${EMPTY_KEY}"}
                  - {prefix: /c, provider: openai, upstream: "https://c.example", api_key: ""}
                  - {prefix: /d, provider: openai, upstream: "https://d.example", api_key: "${UNSET_KEY:-}"}
                """, "keys.yaml");

        assertThat(config.routes()).allSatisfy(route -> {
            assertThat(route.apiKey()).isNull();
            assertThat(route.hasApiKey()).isFalse();
        });
    }

    @Test
    void substitutedTextNeverBecomesYamlStructure() {
        ProxyConfig config = new ConfigLoader(Map.of("TOKEN", "a: [b, c] # not a comment")::get).parse("""
                server: {admin_token: "${TOKEN}"}
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]
                """, "t.yaml");

        assertThat(config.server().adminToken()).isEqualTo("a: [b, c] # not a comment");
    }

    @Test
    void referencesInCommentsAreIgnored() {
        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                # export ${SOMETHING_UNSET} first
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]   # ${ALSO_UNSET}
                """, "t.yaml");

        assertThat(config.routes()).hasSize(1);
    }
}
