package dev.tollgate.server.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One node of the document with its key path, read as the type a setting needs. Every conversion failure is a
 * {@link ConfigException} at this node's position; scalar text gets environment substitution first.
 * Messages quote a value only through {@link #quote}, which the binders do not call for secrets.
 */
final class ConfigValue {

    /** Decimal text only: BigDecimal's parser alone would also take forms YAML users never mean. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9][0-9_]*");
    /** Prices are per 1M tokens: 12 places reach 1e-18 USD per token, below any integer unit the core uses. */
    private static final int MAX_MONEY_SCALE = 12;
    private static final BigDecimal MAX_MONEY = new BigDecimal("1000000000");

    private final Binding binding;
    private final YamlNode node;
    private final String path;

    ConfigValue(Binding binding, YamlNode node, String path) {
        this.binding = binding;
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    YamlNode node() {
        return node;
    }

    boolean isNull() {
        return node instanceof YamlNode.Scalar scalar && scalar.text() == null;
    }

    ConfigException error(String problem) {
        return binding.error(node.mark(), path, problem);
    }

    /** The scalar's text after substitution; unset variables are errors. */
    String text(String expected) {
        return text(expected, false);
    }

    /** The scalar's text after substitution; {@code unsetIsEmpty} turns unset {@code ${NAME}} into "". */
    String text(String expected, boolean unsetIsEmpty) {
        if (!(node instanceof YamlNode.Scalar scalar) || scalar.text() == null) {
            throw error(node.kind() + " (expected: " + expected + ")");
        }
        try {
            return binding.substitution().apply(scalar.text(), unsetIsEmpty);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** Non-blank text, stripped. */
    String string(String expected) {
        String text = text(expected).strip();
        if (text.isEmpty()) {
            throw error("empty (expected: " + expected + ")");
        }
        return text;
    }

    long longIn(long min, long max) {
        String expected = range("an integer", min, max);
        String text = text(expected).strip();
        if (!INTEGER.matcher(text).matches()) {
            throw error(quote(text) + " (expected: " + expected + ")");
        }
        long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(quote(text) + " (expected: " + expected + ")");
        }
        if (value < min || value > max) {
            throw error(value + " (expected: " + expected + ")");
        }
        return value;
    }

    int intIn(int min, int max) {
        return (int) longIn(min, max);
    }

    /**
     * A USD amount exactly as written ({@code 0.075} stays {@code 0.075}, scale included), never via double.
     *
     * @param positive whether zero is refused too
     */
    BigDecimal money(boolean positive) {
        String expected = positive ? "a decimal number > 0" : "a decimal number >= 0";
        String text = text(expected).strip();
        if (!DECIMAL.matcher(text).matches()) {
            throw error(quote(text) + " (expected: " + expected + ")");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.signum() < 0 || (positive && value.signum() == 0)) {
            throw error(text + " (expected: " + expected + ")");
        }
        if (value.scale() > MAX_MONEY_SCALE) {
            throw error(text + " (expected: at most " + MAX_MONEY_SCALE + " decimal places)");
        }
        if (value.compareTo(MAX_MONEY) >= 0) {
            throw error(text + " (expected: less than " + MAX_MONEY.toPlainString() + ")");
        }
        return value;
    }

    boolean bool() {
        String text = text("true or false").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(quote(text) + " (expected: true or false)");
        };
    }

    /** One of {@code type}'s constants, written in lower case with '_' (for example {@code alert_only}). */
    <E extends Enum<E>> E enumValue(Class<E> type) {
        String expected = ConfigNames.choices(type);
        String text = text(expected).strip();
        for (E constant : type.getEnumConstants()) {
            if (ConfigNames.of(constant).equalsIgnoreCase(text)) {
                return constant;
            }
        }
        throw error(quote(text) + " (expected: " + expected + ")");
    }

    /** The items of a list; null is the empty list. */
    List<ConfigValue> list(String expected) {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Sequence sequence)) {
            throw error(node.kind() + " (expected: a list of " + expected + ")");
        }
        List<ConfigValue> items = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            items.add(new ConfigValue(binding, item, path + "[" + items.size() + "]"));
        }
        return items;
    }

    /** The entries of a mapping with free-form keys (names); null is the empty list. */
    List<Map.Entry<String, ConfigValue>> entries(String expected) {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof YamlNode.Mapping mapping)) {
            throw error(node.kind() + " (expected: " + expected + ")");
        }
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            entries.add(Map.entry(entry.key(), new ConfigValue(binding, entry.value(), child(path, entry.key()))));
        }
        return entries;
    }

    /** This node as a mapping with exactly these possible keys; null is an empty section. */
    ConfigSection section(List<String> keys) {
        return ConfigSection.of(this, binding, keys);
    }

    static String quote(String text) {
        return "'" + text + "'";
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String range(String what, long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return what + " >= " + min;
        }
        return what + " " + min + "-" + max;
    }
}
