package dev.tollgate.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerRecordTest {

    /** CONTRACT §8, in order. */
    private static final List<String> FIELDS = List.of("request_id", "ts_start", "ts_end", "tenant", "tags", "route",
            "provider", "endpoint", "model_requested", "model_billed", "stream", "status_code", "outcome",
            "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "estimated",
            "cost_nano_usd", "price_source", "ttft_ms", "duration_ms", "upstream_ms");

    private static ExchangeRecord exchange(long ttftNanos, long upstreamNanos) {
        return new ExchangeRecord("01JD7Q", Instant.parse("2026-11-27T10:15:30.123456789Z"),
                Instant.parse("2026-11-27T10:15:31.000999Z"), TenantId.of("acme"), Map.of("env", "prod", "feature", "search"),
                "/anthropic", ProviderKind.ANTHROPIC, Endpoint.MESSAGES, "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                true, 200, Outcome.CLIENT_ABORTED, new TokenUsage(812, 64, 10, 5, 33), true, 160_200,
                PriceSource.CATALOG_UNDATED, ttftNanos, 877_499_999, upstreamNanos, 2_000_000);
    }

    @Test
    void mapsEveryExchangeField() {
        LedgerRecord r = LedgerRecord.of(exchange(231_500_000, 874_000_001));

        assertThat(r.requestId()).isEqualTo("01JD7Q");
        assertThat(r.tsStart()).isEqualTo(Instant.parse("2026-11-27T10:15:30.123Z"));
        assertThat(r.tsEnd()).isEqualTo(Instant.parse("2026-11-27T10:15:31.000Z"));
        assertThat(r.tenant()).isEqualTo("acme");
        assertThat(r.tags()).containsExactly(Map.entry("env", "prod"), Map.entry("feature", "search"));
        assertThat(r.route()).isEqualTo("/anthropic");
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.endpoint()).isEqualTo("messages");
        assertThat(r.modelRequested()).isEqualTo("claude-sonnet-4-5");
        assertThat(r.modelBilled()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(r.stream()).isTrue();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.outcome()).isEqualTo("client_aborted");
        assertThat(r.inputTokens()).isEqualTo(812);
        assertThat(r.cachedInputTokens()).isEqualTo(64);
        assertThat(r.cacheWriteTokens()).as("5-minute and 1-hour writes together").isEqualTo(15);
        assertThat(r.outputTokens()).isEqualTo(33);
        assertThat(r.estimated()).isTrue();
        assertThat(r.costNanoUsd()).isEqualTo(160_200);
        assertThat(r.priceSource()).isEqualTo("catalog_undated");
        assertThat(r.ttftMs()).as("rounded half up").isEqualTo(232);
        assertThat(r.durationMs()).isEqualTo(877);
        assertThat(r.upstreamMs()).isEqualTo(874);
    }

    @Test
    void tagsAreSortedAndReadOnlyWhetherOrNotThereAreAny() {
        LedgerRecord tagged = TestRecords.record("r1", Instant.EPOCH, "acme", "m", Map.of("b", "2", "a", "1"), 1, 1, 1);
        LedgerRecord untagged = TestRecords.record("r2", Instant.EPOCH, "acme", "m", new HashMap<>(), 1, 1, 1);

        assertThat(tagged.tags()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(untagged.tags()).isEmpty();
        assertThatThrownBy(() -> tagged.tags().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> untagged.tags().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unmeasuredDurationsAreAbsentAndNullInJson() throws Exception {
        LedgerRecord r = LedgerRecord.of(exchange(-1, -1));
        assertThat(r.ttftMs()).isEqualTo(LedgerRecord.ABSENT);
        assertThat(r.upstreamMs()).isEqualTo(LedgerRecord.ABSENT);

        var json = new ObjectMapper().readTree(LedgerJson.write(r));
        assertThat(json.get("ttft_ms").isNull()).isTrue();
        assertThat(json.get("upstream_ms").isNull()).isTrue();
        assertThat(LedgerJson.read(LedgerJson.write(r))).isEqualTo(r);
    }

    @Test
    void jsonHasExactlyTheContractFieldsInOrder() throws Exception {
        String line = LedgerJson.write(LedgerRecord.of(exchange(1, 1)));

        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(line).fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(FIELDS);
        assertThat(line).doesNotContain("\n").contains("\"ts_start\":\"2026-11-27T10:15:30.123Z\"");
    }

    @Test
    void jsonRoundTripsNullModelsAndAnyText() {
        LedgerRecord r = new LedgerRecord("r\"1", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
                "unknown", Map.of("k", "v=w"), "/local", "openai-compatible", "other", null, "modèle \"ü\"\n", false, 401,
                "rejected", 0, 0, 0, 0, false, 0, "none", LedgerRecord.ABSENT, 3, LedgerRecord.ABSENT);

        String line = LedgerJson.write(r);

        assertThat(line).doesNotContain("\n").contains("\"model_requested\":null").contains("\"ts_start\":\"2026-01-01T00:00:00.000Z\"");
        assertThat(LedgerJson.read(line)).isEqualTo(r);
    }

    @Test
    void readingNamesTheBadField() {
        String line = LedgerJson.write(TestRecords.record("r1", Instant.EPOCH, "acme", "m", 5));
        assertThatThrownBy(() -> LedgerJson.read(line.replace("\"cost_nano_usd\":5", "\"cost_nano_usd\":\"5\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost_nano_usd");
        assertThatThrownBy(() -> LedgerJson.read(line.replace("\"tenant\":\"acme\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant missing");
        assertThatThrownBy(() -> LedgerJson.read(line.substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThat(LedgerJson.read(line.replaceFirst("\\{", "{\"future_field\":[1],"))).as("unknown fields are ignored")
                .isEqualTo(LedgerJson.read(line));
    }

    @Test
    void modelFallsBackToTheRequestedOne() {
        LedgerRecord r = LedgerRecord.of(exchange(1, 1));
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5-20250929");
        LedgerRecord unbilled = new LedgerRecord("r", Instant.EPOCH, Instant.EPOCH, "t", Map.of(), "/x", "openai", "other",
                "asked", null, false, 502, "upstream_error", 0, 0, 0, 0, false, 0, "none", -1, 0, -1);
        assertThat(unbilled.model()).isEqualTo("asked");
    }
}
