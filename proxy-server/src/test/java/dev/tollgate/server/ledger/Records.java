package dev.tollgate.server.ledger;

import dev.tollgate.core.ledger.LedgerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/** Ledger records for tests. */
final class Records {

    private Records() {}

    static LedgerRecord record(String id, Instant start, String tenant, @Nullable String model, long costNanoUsd) {
        return new LedgerRecord(id, start, start.plusMillis(300), tenant, Map.of(), "/openai", "openai",
                "chat/completions", model, model, false, 200, "ok", 100, 0, 0, 10, false, costNanoUsd, "catalog",
                40, 300, 290);
    }

    /** Varied records a minute or so apart from {@code start}: every field takes several values. */
    static List<LedgerRecord> varied(int n, Instant start, long seed) {
        Random random = new Random(seed);
        String[] tenants = {"acme", "beta", "unknown"};
        List<LedgerRecord> out = new ArrayList<>();
        Instant t = start;
        for (int i = 0; i < n; i++) {
            t = t.plusMillis(random.nextInt(120_000));
            boolean measured = random.nextBoolean();
            String model = random.nextInt(8) == 0 ? null : "model-" + random.nextInt(4);
            out.add(new LedgerRecord("req-" + seed + "-" + i, t, t.plusMillis(random.nextInt(5_000)),
                    tenants[random.nextInt(tenants.length)],
                    random.nextBoolean() ? Map.of("feature", "f" + random.nextInt(3), "env", "prod") : Map.of(),
                    random.nextBoolean() ? "/openai" : "/anthropic", "openai", "chat/completions",
                    model, random.nextBoolean() ? model : null, random.nextBoolean(), 200 + random.nextInt(300),
                    "ok", random.nextInt(100_000), random.nextInt(1_000), random.nextInt(1_000), random.nextInt(4_000),
                    random.nextBoolean(), random.nextLong(0, 50_000_000_000L), "catalog",
                    measured ? random.nextInt(2_000) : LedgerRecord.ABSENT, random.nextInt(60_000),
                    measured ? random.nextInt(60_000) : LedgerRecord.ABSENT));
        }
        return out;
    }
}
