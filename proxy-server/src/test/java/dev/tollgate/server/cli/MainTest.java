package dev.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.server.Main;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    private static final String VALID = """
            server:
              admin_token: ${ADMIN_TOKEN}
            routes:
              - prefix: /openai
                provider: openai
                upstream: https://api.openai.com
                api_key: ${OPENAI_API_KEY}
            """;
    private static final String INVALID = """
            routes:
              - prefix: /openai
                provider: opneai
                upstream: https://api.openai.com
            """;
    private static final Map<String, String> ENV = Map.of("ADMIN_TOKEN", "adm1n", "OPENAI_API_KEY", "sk-live-123");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<ProxyConfig> launched = new ArrayList<>();

    @Test
    void checkConfigPrintsTheResolvedConfigWithSecretsMasked() throws IOException {
        Path file = write("tollgate.yaml", VALID);

        int code = run("check-config", "--config", file.toString());

        assertThat(code).isZero();
        assertThat(stdout()).contains("admin_token: '***'", "api_key: '***'", "port: 8080")
                .doesNotContain("adm1n", "sk-live-123");
        assertThat(stderr()).isEqualTo(file + ": valid\n");
        ProxyConfig reloaded = new ConfigLoader(name -> null).parse(stdout(), "printed");
        assertThat(reloaded.routes().get(0).upstream()).hasToString("https://api.openai.com");
    }

    @Test
    void checkConfigWithoutFileChecksTheEmbeddedDefault() {
        int code = run("check-config");

        assertThat(code).isZero();
        assertThat(stdout()).startsWith("# Resolved from <embedded default>").contains("prefix: /anthropic");
    }

    @Test
    void checkConfigOfABadFilePrintsOneLineAndExits1() throws IOException {
        Path file = write("tollgate.yaml", INVALID);

        int code = run("check-config", "--config=" + file);

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo(file + ":3:15: routes[0].provider: 'opneai'"
                + " (expected: openai, anthropic, openai-compatible or ollama)\n");
    }

    @Test
    void checkConfigOfAMissingFileIsACleanError() {
        Path file = dir.resolve("missing.yaml");

        int code = run("check-config", "--config", file.toString());

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).isEqualTo(file + ": file not found\n").doesNotContain("Exception");
    }

    @Test
    void checkConfigReportsAnUnsetVariable() throws IOException {
        Path file = write("tollgate.yaml", VALID);

        int code = Main.run(new String[] {"check-config", "--config", file.toString()}, stream(out), stream(err),
                name -> null, launched::add);

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).startsWith(file + ":2:16: server.admin_token: environment variable ADMIN_TOKEN is not set");
    }

    @Test
    void keygenPrintsAKeyAndItsHashLine() {
        int code = run("keygen", "--tenant", "acme");

        assertThat(code).isZero();
        Matcher lines = Pattern.compile("key: (tg-[A-Za-z0-9_-]{43})\nkeys: \\[\"(sha256:[0-9a-f]{64})\"]   # tenant acme\n")
                .matcher(stdout());
        assertThat(lines.matches()).as(stdout()).isTrue();
        assertThat(lines.group(2)).isEqualTo(KeyHash.of(lines.group(1)));
        assertThat(stderr()).contains("acme");
    }

    @Test
    void keygenHashLineIsAcceptedByTheConfig() {
        run("keygen", "--tenant", "acme");
        String hashLine = stdout().lines().filter(line -> line.startsWith("keys:")).findFirst().orElseThrow();

        ProxyConfig config = new ConfigLoader(name -> null).parse("""
                routes: [{prefix: /o, provider: openai, upstream: "https://api.openai.com"}]
                tenants:
                  list:
                    - id: acme
                      %s
                """.formatted(hashLine), "keygen.yaml");

        String key = stdout().lines().findFirst().orElseThrow().substring("key: ".length());
        assertThat(config.tenants().list().get(0).keyHashes()).containsExactly(KeyHash.of(key));
    }

    @Test
    void keygenMakesADifferentKeyEachTime() {
        run("keygen", "--tenant", "acme");
        run("keygen", "--tenant", "acme");

        assertThat(stdout().lines().filter(line -> line.startsWith("key: ")).distinct()).hasSize(2);
    }

    @Test
    void keygenNeedsAValidTenant() {
        assertThat(run("keygen")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: keygen needs --tenant\nUsage: ");

        err.reset();
        assertThat(run("keygen", "--tenant", "acme corp")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: --tenant 'acme corp' (expected: ");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void noArgumentsServesTheEmbeddedDefault() {
        int code = run();

        assertThat(code).isZero();
        assertThat(launched).singleElement()
                .satisfies(config -> assertThat(config.source()).isEqualTo(ProxyConfig.EMBEDDED_DEFAULT));
    }

    @Test
    void configOptionAloneServesThatFile() throws IOException {
        Path file = write("tollgate.yaml", VALID);

        int code = run("--config", file.toString());

        assertThat(code).isZero();
        assertThat(launched).singleElement().satisfies(config -> {
            assertThat(config.source()).isEqualTo(file.toString());
            assertThat(config.routes().get(0).apiKey()).isEqualTo("sk-live-123");
        });
    }

    @Test
    void serveCommandServesTheFile() throws IOException {
        Path file = write("tollgate.yaml", VALID);

        assertThat(run("serve", "--config=" + file)).isZero();
        assertThat(launched).extracting(ProxyConfig::source).containsExactly(file.toString());
    }

    @Test
    void serveWithABadConfigNeverStartsTheServer() throws IOException {
        Path file = write("tollgate.yaml", INVALID);

        int code = run("serve", "--config", file.toString());

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(launched).isEmpty();
        assertThat(stderr()).startsWith(file + ":3:15: routes[0].provider: 'opneai'").doesNotContain("\tat ");
    }

    @Test
    void serverThatCannotStartExits1WithItsMessage() {
        int code = Main.run(new String[0], stream(out), stream(err), ENV::get, config -> {
            throw new BindException("Address already in use");
        });

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).isEqualTo("tollgate: server failed: java.net.BindException: Address already in use\n");
    }

    @Test
    void serverBugExits1WithMessageAndTrace() {
        int code = Main.run(new String[0], stream(out), stream(err), ENV::get, config -> {
            throw new IllegalStateException("boom");
        });

        assertThat(code).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).startsWith("tollgate: server failed: java.lang.IllegalStateException: boom\n")
                .contains("\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void helpPrintsUsageAndExits2(String flag) {
        assertThat(run(flag)).isEqualTo(ExitCode.USAGE);
        assertThat(stdout()).startsWith("Usage: java -jar tollgate.jar [COMMAND] [OPTIONS]")
                .contains("check-config", "keygen --tenant ID");
    }

    @Test
    void helpAfterACommandPrintsUsageToo() {
        assertThat(run("keygen", "--help")).isEqualTo(ExitCode.USAGE);
        assertThat(stdout()).startsWith("Usage: ");
    }

    @Test
    void unknownCommandPrintsUsageAndExits2() {
        assertThat(run("frobnicate")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: unknown command 'frobnicate'\nUsage: ");
        assertThat(launched).isEmpty();
    }

    @Test
    void unknownOptionPrintsUsageAndExits2() {
        assertThat(run("serve", "--confg", "x.yaml")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: unknown option '--confg' for serve (expected: --config)\nUsage: ");
        assertThat(launched).isEmpty();
    }

    @Test
    void optionWithoutValueIsAUsageError() {
        assertThat(run("check-config", "--config")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: option '--config' needs a value\n");
    }

    @Test
    void repeatedOptionIsAUsageError() {
        assertThat(run("serve", "--config", "a.yaml", "--config", "b.yaml")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: option '--config' is given twice\n");
    }

    @Test
    void strayArgumentIsAUsageError() {
        assertThat(run("check-config", "tollgate.yaml")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: unexpected argument 'tollgate.yaml' for check-config\n");
    }

    @Test
    void reportWithoutItsRequiredOptionsIsAUsageError() {
        assertThat(run("report", "--ledger", "x.db")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).startsWith("tollgate: report needs --from\n");
        assertThat(launched).isEmpty();
    }

    private int run(String... args) {
        return Main.run(args, stream(out), stream(err), ENV::get, launched::add);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
