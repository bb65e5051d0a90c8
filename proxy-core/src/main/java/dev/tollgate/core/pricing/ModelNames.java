package dev.tollgate.core.pricing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Dated model-name suffixes (CONTRACT §5): {@code -2024-08-06}, {@code -20241022}, {@code @20241022}
 * and {@code @2024-10-22}, with a year 2000-2099 and a month 01-12.
 *
 * <p>Four-digit suffixes ({@code -0613}, {@code -2411}) are deliberately left alone: they are as
 * often separately priced versions ({@code gpt-3.5-turbo-0613} vs {@code gpt-3.5-turbo},
 * {@code mistral-large-2512} vs {@code mistral-large}) as snapshots of one price, so removing them
 * would guess. Such names are found as catalog aliases, or by prefix.
 */
final class ModelNames {

    private static final Pattern DATED_SUFFIX =
            Pattern.compile("(?:-20\\d{2}-(?:0[1-9]|1[0-2])-\\d{2}|-20\\d{2}(?:0[1-9]|1[0-2])\\d{2}"
                    + "|@20\\d{2}-?(?:0[1-9]|1[0-2])-?\\d{2})$");

    private ModelNames() {}

    /** {@code model} without its dated suffix, or null when it has none. */
    static @Nullable String withoutDatedSuffix(String model) {
        Matcher m = DATED_SUFFIX.matcher(model);
        if (!m.find() || m.start() == 0) {
            return null;
        }
        return model.substring(0, m.start());
    }
}
