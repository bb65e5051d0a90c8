package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builtin catalog's content (spot-checked against genai-prices 0.1.8) and the catalog file format. */
class CatalogTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final TokenUsage SMALL = TokenUsage.of(1_000, 1_000);

    private final Catalog builtin = Catalog.builtin();

    @Test
    void builtinIsDatedAndLoadedOnce() {
        assertThat(builtin.asOf()).isEqualTo(LocalDate.of(2026, 11, 27));
        assertThat(builtin.origin()).isEqualTo("builtin");
        assertThat(Catalog.builtin()).isSameAs(builtin);
    }

    @Test
    void builtinCoversEveryProvider() {
        Map<String, Long> perProvider = builtin.entries().stream()
                .collect(Collectors.groupingBy(e -> String.valueOf(e.provider()), Collectors.counting()));

        assertThat(perProvider).containsOnlyKeys("openai", "anthropic", "google", "mistral", "deepseek", "x-ai", "cohere");
        assertThat(perProvider.get("openai")).isGreaterThanOrEqualTo(80);
        assertThat(perProvider.get("anthropic")).isGreaterThanOrEqualTo(20);
        assertThat(perProvider.get("google")).isGreaterThanOrEqualTo(30);
        assertThat(perProvider.get("mistral")).isGreaterThanOrEqualTo(30);
        assertThat(perProvider.get("deepseek")).isGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        // model,                  provider,  input,  cached,  cache_write, cache_write_1h, output   (USD per 1M, genai-prices 0.1.8)
        "gpt-5.5,                  openai,    5,      0.5,     -,           -,              30",
        "gpt-5-mini,               openai,    0.25,   0.025,   -,           -,              2",
        "gpt-4.1-nano,             openai,    0.1,    0.025,   -,           -,              0.4",
        "text-embedding-3-large,   openai,    0.13,   -,       -,           -,              0",
        "claude-opus-4-8,          anthropic, 5,      0.5,     6.25,        10,             25",
        "claude-sonnet-5,          anthropic, 2,      0.2,     2.5,         4,              10",
        "claude-fable-5-1,         anthropic, 10,     0.25,    12.5,        20,             50",
        "claude-3-haiku,           anthropic, 0.25,   0.03,    0.3,         0.5,            1.25",
        "gemini-3.5-flash,         google,    1.5,    0.15,    -,           -,              9",
        "gemini-3.1-flash-lite,    google,    0.25,   0.025,   -,           -,              1.5",
        "gemini-embedding-001,     google,    0.15,   -,       -,           -,              0",
        "mistral-medium-3-5,       mistral,   1.5,    0.15,    -,           -,              7.5",
        "mistral-small-2603,       mistral,   0.15,   0.015,   -,           -,              0.6",
        "codestral-2508,           mistral,   0.3,    0.03,    -,           -,              0.9",
        "deepseek-v3.2,            deepseek,  0.2288, -,       -,           -,              0.3432",
        "deepseek-v3.1-terminus,   deepseek,  0.27,   0.13,    -,           -,              0.95",
        "grok-code-fast-1,         x-ai,      0.2,    0.02,    -,           -,              1.5",
        "command-a,                cohere,    2.5,    -,       -,           -,              10",
    })
    void builtinPricesMatchTheSource(String model, String provider, String input, @Nullable String cached,
            @Nullable String cacheWrite, @Nullable String cacheWrite1h, String output) {
        CatalogEntry entry = builtin.find(model).orElseThrow();

        assertThat(entry.provider()).isEqualTo(provider);
        assertThat(entry.price().ratesFor(SMALL, NOW)).isEqualTo(
                Rates.ofUsdPerMillion(new BigDecimal(input), dec(cached), dec(cacheWrite), dec(cacheWrite1h),
                        new BigDecimal(output)));
    }

    @Test
    void builtinKeepsAliasesAndPrefixes() {
        assertThat(builtin.find("gpt-4o-2024-11-20").orElseThrow().name()).isEqualTo("gpt-4o");
        assertThat(builtin.find("claude-sonnet-4").orElseThrow().name()).isEqualTo("claude-sonnet-4-0");
        assertThat(builtin.find("x-ai/grok-4.5").orElseThrow().name()).isEqualTo("grok-4.5");
        assertThat(builtin.find("gpt-5.4").orElseThrow().aliases()).contains("gpt-5.4-2026-03-05", "gpt-5-4");
        assertThat(builtin.find("claude-opus-4-7").orElseThrow().prefixes()).contains("claude-opus-4-7", "claude-opus-4.7");
        assertThat(builtin.findByLongestPrefix("deepseek-v4-pro-preview").orElseThrow().name()).isEqualTo("deepseek-v4-pro");
        // Google's listing of Claude models (Vertex) is not taken: one entry per name.
        assertThat(builtin.find("claude-opus-4-8").orElseThrow().provider()).isEqualTo("anthropic");
    }

    @Test
    void builtinSkipsEntriesWithoutTokenPrices() {
        assertThat(builtin.find("whisper-1")).isEmpty();
        assertThat(builtin.find("mistral-ocr-latest")).isEmpty();
        assertThat(builtin.find("mistral-nemo:free")).isEmpty();
    }

    @Test
    void everyBuiltinPriceAnswersAtAnyTimeAndSize() {
        List<Instant> times = List.of(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2026-08-17T03:00:00Z"), NOW,
                Instant.parse("2030-01-01T23:59:59Z"));
        for (CatalogEntry e : builtin.entries()) {
            for (Instant at : times) {
                for (TokenUsage usage : List.of(TokenUsage.ZERO, TokenUsage.of(1_000_000, 100_000))) {
                    assertThat(CostCalculator.costNanoUsd(usage, e.price(), at)).as(e.name()).isNotNegative();
                }
            }
        }
    }

    @Test
    void bareNumbersAreExactDecimals() {
        Rates rates = rates(TestCatalogs.load("features-catalog.yaml"), "bare-numbers", SMALL, NOW);

        assertThat(rates).isEqualTo(new Rates(100_000_000L, 1L, 100_000_000L, 100_000_000L, 12_345_678_901L));
    }

    @Test
    void tierKeepsTheBaseWrittenPricesItDoesNotChange() {
        Catalog c = TestCatalogs.load("features-catalog.yaml");

        assertThat(rates(c, "overlay", TokenUsage.of(999, 0), NOW))
                .isEqualTo(Rates.ofUsdPerMillion(BigDecimal.ONE, new BigDecimal("0.1"), null, null, BigDecimal.valueOf(5)));
        assertThat(rates(c, "overlay", TokenUsage.of(1_000, 0), NOW))
                .as("cached_input written in the base stays; input and output change")
                .isEqualTo(Rates.ofUsdPerMillion(BigDecimal.valueOf(2), new BigDecimal("0.1"), null, null, BigDecimal.TEN));
        assertThat(rates(c, "overlay-defaults", TokenUsage.of(1_000, 0), NOW))
                .as("defaults follow the tier's own input; output stays the base's")
                .isEqualTo(Rates.ofUsdPerMillion("2", "5"));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-27T21:59:59Z, 1",
        "2026-11-27T22:00:00Z, 0.5",
        "2026-11-27T23:00:00Z, 0.25",
        "2026-11-27T23:59:59Z, 0.25",
        "2026-11-28T00:00:00Z, 0.5",
        "2026-11-28T01:59:59Z, 0.5",
        "2026-11-28T02:00:00Z, 1",
    })
    void hourWindowsWrapPastMidnightAndTheLastListedWins(String at, String usd) {
        Rates rates = rates(TestCatalogs.load("features-catalog.yaml"), "night-owl", SMALL, Instant.parse(at));

        assertThat(rates).isEqualTo(Rates.ofUsdPerMillion(usd, usd));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-02-28T23:59:59Z, 1",
        "2026-03-01T00:00:00Z, 1.5",
        "2026-03-01T06:00:00Z, 3",
        "2026-06-01T11:59:59Z, 3",
        "2026-06-01T12:00:00Z, 4",
        "2026-06-02T01:00:00Z, 4",
    })
    void changesApplyFromTheirStartWhateverTheirOrderInTheFile(String at, String input) {
        Rates rates = rates(TestCatalogs.load("features-catalog.yaml"), "scheduled", SMALL, Instant.parse(at));

        assertThat(UsdFormat.femtoPerTokenToUsdPerMillion(rates.inputFemtoUsd())).isEqualTo(input);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad-precision.yaml      | model 'too-precise': input: 0.0000000001 USD per 1M tokens has more than 9 decimal places",
        "bad-duplicate.yaml      | model 'second': name 'shared-name' is already used by model 'first'",
        "bad-unknown-key.yaml    | model 'typo': unknown key 'cache_read'",
        "bad-missing-output.yaml | model 'no-output': output: missing",
        "bad-hours.yaml          | model 'bad-window': hours[0]: from: 7:00",
        "bad-no-as-of.yaml       | as_of: missing",
        "bad-yaml.yaml           | not valid YAML",
    })
    void badFilesAreRefusedWithFileModelAndField(String file, String message) {
        assertThatThrownBy(() -> Catalog.load(TestCatalogs.path(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(TestCatalogs.path(file).toString())
                .hasMessageContaining(message);
    }

    @Test
    void ofValidatesUniquePrefixes() {
        ModelPrice price = ModelPrice.of(Rates.ofUsdPerMillion("1", "1"));
        CatalogEntry a = new CatalogEntry("a", null, List.of(), List.of("fam-"), price);
        CatalogEntry b = new CatalogEntry("b", null, List.of(), List.of("fam-"), price);

        assertThatThrownBy(() -> Catalog.of(LocalDate.EPOCH, List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix 'fam-' is already declared by model 'a'");
    }

    @Test
    void longestPrefixPrefersDeclaredPrefixesAndNeedsASeparatorAfterNames() {
        ModelPrice price = ModelPrice.of(Rates.ofUsdPerMillion("1", "1"));
        Catalog c = Catalog.of(LocalDate.EPOCH, List.of(
                CatalogEntry.of("m", price),
                CatalogEntry.of("m-large", price),
                new CatalogEntry("other", null, List.of(), List.of("m-large-v"), price)));
        Function<String, String> lookup = name -> c.findByLongestPrefix(name).map(CatalogEntry::name).orElse("-");

        assertThat(lookup.apply("m-large-2")).isEqualTo("m-large");
        assertThat(lookup.apply("m-large-v9")).isEqualTo("other");
        assertThat(lookup.apply("m:latest")).isEqualTo("m");
        assertThat(lookup.apply("m-largest")).isEqualTo("m");
        assertThat(lookup.apply("m2")).isEqualTo("-");
        assertThat(lookup.apply("m.1")).isEqualTo("-");
        assertThat(c.prefixes()).containsExactly("m-large-v", "m-large", "other", "m");
    }

    private static Rates rates(Catalog catalog, String model, TokenUsage usage, Instant at) {
        return catalog.find(model).orElseThrow().price().ratesFor(usage, at);
    }

    private static @Nullable BigDecimal dec(@Nullable String s) {
        return s == null ? null : new BigDecimal(s);
    }
}
