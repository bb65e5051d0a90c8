package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CONTRACT §5 resolution order. */
class PriceTableTest {

    private static final ModelPrice OVERRIDE = ModelPrice.of(Rates.ofUsdPerMillion("1", "2"));
    private static final ModelPrice LOCAL_GPU = new GpuProfile(new BigDecimal("2.49"), 1, 2400).toModelPrice();

    private final Catalog catalog = TestCatalogs.load("resolution-catalog.yaml");
    private final PriceTable table = PriceTable.builder()
            .catalog(catalog)
            .override("gpt-4o", OVERRIDE)
            .profile("local-gpu", LOCAL_GPU)
            .build();
    private final PriceTable noOverrides = PriceTable.builder().catalog(catalog).profile("local-gpu", LOCAL_GPU).build();

    @Test
    void overrideBeatsTheCatalog() {
        PriceQuote quote = table.resolve("gpt-4o", null);

        assertThat(quote).isEqualTo(new PriceQuote(OVERRIDE, PriceSource.OVERRIDE, "gpt-4o"));
        assertThat(noOverrides.resolve("gpt-4o", null).source()).isEqualTo(PriceSource.CATALOG);
    }

    @Test
    void overrideMatchesTheExactNameOnly() {
        PriceQuote quote = table.resolve("gpt-4o-2024-08-06", null);

        assertThat(quote.source()).isEqualTo(PriceSource.CATALOG_UNDATED);
        assertThat(quote.pricedAs()).isEqualTo("gpt-4o");
        assertThat(quote.price()).isEqualTo(catalog.find("gpt-4o").orElseThrow().price());
    }

    @Test
    void aliasIsAnExactCatalogMatch() {
        PriceQuote quote = noOverrides.resolve("gpt-4o-mini-2024-07-18", null);

        assertThat(quote.source()).isEqualTo(PriceSource.CATALOG);
        assertThat(quote.pricedAs()).isEqualTo("gpt-4o-mini");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "gpt-4o,                          CATALOG,         gpt-4o",
        "gpt-4o-2024-08-06,               CATALOG_UNDATED, gpt-4o",
        "gpt-4o-20240806,                 CATALOG_UNDATED, gpt-4o",
        "gpt-4o@2024-08-06,               CATALOG_UNDATED, gpt-4o",
        "gpt-4o-mini-2024-09-30,          CATALOG_UNDATED, gpt-4o-mini",
        "claude-3-5-sonnet-20241022,      CATALOG_UNDATED, claude-3-5-sonnet",
        "claude-3-5-sonnet@20241022,      CATALOG_UNDATED, claude-3-5-sonnet",
        "claude-3-5-sonnet-v2@20241022,   CATALOG_PREFIX,  claude-3-5-sonnet",
        "claude-3.5-sonnet-latest,        CATALOG_PREFIX,  claude-3-5-sonnet",
        "gpt-4o-mini-search-preview,      CATALOG_PREFIX,  gpt-4o-mini",
        "gpt-4o-0613,                     CATALOG_PREFIX,  gpt-4o",
        "ft:gpt-4o-2024-08-06:acme::abc1, CATALOG_PREFIX,  ft:gpt-4o",
        "gemini-2.5-pro-preview-06-05,    CATALOG_PREFIX,  gemini-2.5-pro",
        "gemini-2.5-pro-preview-tts,      CATALOG,         gemini-2.5-pro-preview-tts",
        "gpt-4o-2024-13-01,               CATALOG_PREFIX,  gpt-4o",
    })
    void resolvesInContractOrder(String model, PriceSource source, String pricedAs) {
        PriceQuote quote = noOverrides.resolve(model, null);

        assertThat(quote.source()).isEqualTo(source);
        assertThat(quote.pricedAs()).isEqualTo(pricedAs);
    }

    @ParameterizedTest
    @CsvSource({"gpt-4ox", "gpt-4o.1", "gpt-5", "claude", "-2024-08-06", "''"})
    void unknownNamesAreUnpriced(String model) {
        PriceQuote quote = noOverrides.resolve(model, null);

        assertThat(quote).isEqualTo(PriceQuote.none());
        assertThat(quote.priced()).isFalse();
        assertThat(quote.costNanoUsd(TokenUsage.of(1_000, 1_000), Instant.EPOCH)).isZero();
    }

    @Test
    void profileComesLast() {
        assertThat(table.resolve("my-finetuned-llama", "local-gpu"))
                .isEqualTo(new PriceQuote(LOCAL_GPU, PriceSource.PROFILE, "local-gpu"));
        assertThat(table.resolve("gpt-4o-mini", "local-gpu").source()).isEqualTo(PriceSource.CATALOG);
        assertThat(table.resolve("gpt-4o", "local-gpu").source()).isEqualTo(PriceSource.OVERRIDE);
    }

    @Test
    void noModelNameIsPricedByTheProfileOnly() {
        assertThat(table.resolve(null, "local-gpu").source()).isEqualTo(PriceSource.PROFILE);
        assertThat(table.resolve(null, null)).isEqualTo(PriceQuote.none());
    }

    @Test
    void unknownProfilePricesNothing() {
        assertThat(table.resolve("my-finetuned-llama", "no-such-profile")).isEqualTo(PriceQuote.none());
        assertThat(table.hasProfile("local-gpu")).isTrue();
        assertThat(table.hasProfile("no-such-profile")).isFalse();
    }

    @Test
    void withoutCatalogOnlyOverridesAndProfilesPrice() {
        PriceTable bare = PriceTable.builder().override("gpt-4o", OVERRIDE).build();

        assertThat(bare.resolve("gpt-4o", null).source()).isEqualTo(PriceSource.OVERRIDE);
        assertThat(bare.resolve("gpt-4o-mini", null)).isEqualTo(PriceQuote.none());
        assertThat(bare.catalog()).isEmpty();
    }

    @Test
    void builtinCatalogResolvesProviderNames() {
        PriceTable builtin = PriceTable.builder().catalog(Catalog.builtin()).build();

        assertThat(builtin.resolve("gpt-4o-2024-08-06", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG, "gpt-4o"); // listed as an alias there
        assertThat(builtin.resolve("gpt-4o-2025-02-01", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_UNDATED, "gpt-4o");
        assertThat(builtin.resolve("claude-3-5-sonnet-20241022", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_UNDATED, "claude-3-5-sonnet");
        assertThat(builtin.resolve("claude-sonnet-4-5-20250929", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_UNDATED, "claude-sonnet-4-5");
        assertThat(builtin.resolve("claude-opus-4@20250514", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_UNDATED, "claude-opus-4-0");
        assertThat(builtin.resolve("claude-3-5-haiku-20241022", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_PREFIX, "claude-3-5-haiku-latest");
        assertThat(builtin.resolve("gemini-2.5-flash-lite-preview-06-17", null))
                .extracting(PriceQuote::source, PriceQuote::pricedAs)
                .containsExactly(PriceSource.CATALOG_PREFIX, "gemini-2.5-flash-lite");
        assertThat(builtin.resolve("deepseek-chat", null).source()).isEqualTo(PriceSource.CATALOG);
        assertThat(builtin.resolve("gpt-3.5-turbo-0613", null).pricedAs()).isEqualTo("gpt-3.5-turbo-0613");
        assertThat(builtin.resolve("llama3.1:8b", null)).isEqualTo(PriceQuote.none());
    }

    @Test
    void repeatedResolutionGivesTheSameAnswer() {
        String longName = "gpt-4o-" + "x".repeat(PriceTable.CACHE_MAX_NAME_LENGTH);

        assertThat(noOverrides.resolve("gpt-4o-2024-08-06", null)).isSameAs(noOverrides.resolve("gpt-4o-2024-08-06", null));
        assertThat(noOverrides.resolve(longName, null).pricedAs()).isEqualTo("gpt-4o");
        assertThat(noOverrides.resolve(longName, null).pricedAs()).isEqualTo("gpt-4o");
    }

    @Test
    void concurrentResolutionAgrees() throws Exception {
        String[] names = {"gpt-4o", "gpt-4o-2024-08-06", "claude-3.5-sonnet-x", "unknown-model", "gpt-4o-mini"};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<PriceQuote>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<PriceQuote> seen = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        seen.add(table.resolve(names[i % names.length] + (i % 7 == 0 ? "" : "-" + (i % 50)), null));
                    }
                    return seen;
                }));
            }
            List<PriceQuote> first = futures.get(0).get(10, TimeUnit.SECONDS);
            for (Future<List<PriceQuote>> f : futures) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builderRejectsDuplicatesAndEmptyNames() {
        assertThatThrownBy(() -> PriceTable.builder().override("a", OVERRIDE).override("a", OVERRIDE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("override: a");
        assertThatThrownBy(() -> PriceTable.builder().profile("", LOCAL_GPU))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }

    @Test
    void quoteCostUsesItsPrice() {
        PriceQuote quote = noOverrides.resolve("gpt-4o", null);

        // 1000 x 2.5 + 1000 x 1.25 + 500 x 10 USD per 1M = 0.00875 USD
        assertThat(quote.costNanoUsd(new TokenUsage(1_000, 1_000, 0, 0, 500), Instant.EPOCH)).isEqualTo(8_750_000L);
    }

    @Test
    void quoteRejectsInconsistentParts() {
        assertThatThrownBy(() -> new PriceQuote(null, PriceSource.CATALOG, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriceQuote(OVERRIDE, PriceSource.NONE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
