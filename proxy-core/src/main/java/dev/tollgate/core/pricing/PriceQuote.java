package dev.tollgate.core.pricing;

import dev.tollgate.core.usage.TokenUsage;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link PriceTable#resolve}: the price found for a model, which step of the
 * CONTRACT §5 order found it, and under which name. Immutable and thread-safe.
 *
 * @param price    the price, or null exactly when {@code source} is {@link PriceSource#NONE}
 * @param source   the resolution step: the ledger's {@code price_source}
 * @param pricedAs the override's model name, the catalog entry's canonical name or the profile's
 *                 name; null when unpriced
 */
public record PriceQuote(@Nullable ModelPrice price, PriceSource source, @Nullable String pricedAs) {

    private static final PriceQuote NONE = new PriceQuote(null, PriceSource.NONE, null);

    /** A price and its name go together: both present unless the source is {@link PriceSource#NONE}. */
    public PriceQuote {
        Objects.requireNonNull(source, "source");
        if ((source == PriceSource.NONE) != (price == null) || (price == null) != (pricedAs == null)) {
            throw new IllegalArgumentException("quote: " + source + ", price " + price + ", pricedAs " + pricedAs
                    + " (expected: price and pricedAs null exactly when the source is NONE)");
        }
    }

    /** No price found: cost 0, counted as unpriced, never guessed. */
    public static PriceQuote none() {
        return NONE;
    }

    /** Whether a price was found. */
    public boolean priced() {
        return price != null;
    }

    /** The cost in nano-USD of {@code usage} for a request made at {@code at}; 0 when unpriced. */
    public long costNanoUsd(TokenUsage usage, Instant at) {
        return price == null ? 0 : CostCalculator.costNanoUsd(usage, price, at);
    }
}
