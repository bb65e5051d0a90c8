package dev.tollgate.core.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Ledger records for tests. */
final class TestRecords {

    private TestRecords() {}

    static LedgerRecord record(String id, Instant start, String tenant, @Nullable String model, long costNanoUsd) {
        return record(id, start, tenant, model, Map.of(), 100, 10, costNanoUsd);
    }

    static LedgerRecord record(String id, Instant start, String tenant, @Nullable String model, Map<String, String> tags,
            long inputTokens, long outputTokens, long costNanoUsd) {
        return new LedgerRecord(id, start, start.plusMillis(250), tenant, tags, "/openai", "openai", "chat/completions",
                model, model, false, 200, "ok", inputTokens, 0, 0, outputTokens, false, costNanoUsd, "catalog",
                40, 250, 245);
    }

    /** {@code n} records r0, r1, ... a second apart from {@code start}. */
    static List<LedgerRecord> sequence(int n, Instant start) {
        List<LedgerRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record("r" + i, start.plusSeconds(i), "acme", "gpt-4o-mini", 1000 + i));
        }
        return out;
    }
}
