package dev.tollgate.bench;

import dev.tollgate.core.exchange.ExchangeRecord;
import dev.tollgate.core.exchange.Outcome;
import dev.tollgate.core.pricing.PriceSource;
import dev.tollgate.core.provider.Endpoint;
import dev.tollgate.core.provider.ProviderKind;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.core.usage.TokenUsage;
import dev.tollgate.server.route.Route;
import java.time.Instant;
import java.util.Map;

/** Finished-request records shaped like the server's, over a few tenants and models. */
final class Records {

    static final Route ROUTE = new Route("/openai", ProviderKind.OPENAI, "127.0.0.1", 18081, false, "127.0.0.1:18081", "",
            null, null, true);
    static final String[] TENANTS = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka"};
    static final String[] MODELS = {"gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06", "gpt-4.1-mini-2025-04-14", "o3-mini"};

    private Records() {}

    /** One record per (tenant, model, stream), 64 in all. */
    static ExchangeRecord[] mix() {
        ExchangeRecord[] records = new ExchangeRecord[TENANTS.length * MODELS.length * 2];
        Instant start = Instant.parse("2026-11-27T12:00:00Z");
        int i = 0;
        for (String tenant : TENANTS) {
            for (String model : MODELS) {
                for (boolean stream : new boolean[] {false, true}) {
                    records[i] = record(tenant, model, stream, i, start);
                    i++;
                }
            }
        }
        return records;
    }

    static ExchangeRecord record(String tenant, String model, boolean stream, int n, Instant start) {
        return new ExchangeRecord("req-" + n, start, start.plusMillis(850), TenantId.of(tenant),
                Map.of("feature", n % 2 == 0 ? "search" : "chat"), ROUTE.prefix(), ProviderKind.OPENAI,
                Endpoint.CHAT_COMPLETIONS, "gpt-4o-mini", model, stream, 200, Outcome.OK,
                new TokenUsage(1_200 + n, 300, 0, 0, 48 + n), false, 1_234_567L + n, PriceSource.CATALOG_UNDATED,
                stream ? 180_000_000L : -1, 850_000_000L, 840_000_000L, 45_000L);
    }
}
