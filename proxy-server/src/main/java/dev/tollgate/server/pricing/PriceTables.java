package dev.tollgate.server.pricing;

import dev.tollgate.core.pricing.Catalog;
import dev.tollgate.core.pricing.GpuProfile;
import dev.tollgate.core.pricing.ModelPrice;
import dev.tollgate.core.pricing.PriceTable;
import dev.tollgate.core.pricing.Rates;
import dev.tollgate.server.config.GpuProfileConfig;
import dev.tollgate.server.config.PriceOverrideConfig;
import dev.tollgate.server.config.PriceTierConfig;
import dev.tollgate.server.config.PricingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Turns {@code pricing:} config into the immutable {@link PriceTable} requests are priced with. */
public final class PriceTables {

    private PriceTables() {}

    public static PriceTable from(PricingConfig config) {
        PriceTable.Builder table = PriceTable.builder().catalog(catalog(config.catalog()));
        for (PriceOverrideConfig override : config.overrides()) {
            table.override(override.model(), modelPrice(override));
        }
        for (Map.Entry<String, GpuProfileConfig> profile : config.profiles().entrySet()) {
            GpuProfileConfig p = profile.getValue();
            table.profile(profile.getKey(), new GpuProfile(p.gpuHourUsd(), p.gpus(), p.tokensPerSecond()).toModelPrice());
        }
        return table.build();
    }

    private static Catalog catalog(String source) {
        if ("builtin".equals(source)) {
            return Catalog.builtin();
        }
        try {
            return Catalog.load(Path.of(source));
        } catch (IOException e) {
            throw new UncheckedIOException("pricing.catalog: cannot read " + source, e);
        }
    }

    private static ModelPrice modelPrice(PriceOverrideConfig o) {
        ModelPrice.Builder price = ModelPrice.builder(
                Rates.ofUsdPerMillion(o.input(), o.cachedInput(), o.cacheWrite(), o.cacheWrite1h(), o.output()));
        for (PriceTierConfig tier : o.tiers()) {
            price.tier(tier.fromInputTokens(),
                    Rates.ofUsdPerMillion(tier.input(), tier.cachedInput(), tier.cacheWrite(), tier.cacheWrite1h(), tier.output()));
        }
        return price.build();
    }
}
