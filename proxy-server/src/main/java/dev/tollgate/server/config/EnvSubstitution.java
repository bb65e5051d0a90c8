package dev.tollgate.server.config;

import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in one scalar's text with values from the environment.
 * <ul>
 *   <li>{@code ${NAME:-default}} uses {@code default} when {@code NAME} is unset or empty (as the shell does);
 *       the default is literal text up to the first {@code }}, so it cannot itself contain {@code }} or a
 *       reference.</li>
 *   <li>{@code ${NAME}} with {@code NAME} unset is an error, unless the caller treats unset as empty
 *       (the {@code api_key} of a route: no key).</li>
 *   <li>{@code $${} is a literal {@code ${}; any other {@code $} is kept as it is.</li>
 * </ul>
 * Substitution happens once per scalar, after YAML parsing: a value never becomes YAML structure, and a
 * reference inside a comment is never looked at.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, @Nullable String> env;

    EnvSubstitution(Function<String, @Nullable String> env) {
        this.env = env;
    }

    /**
     * @throws IllegalArgumentException with a message fit for {@link ConfigException#problem()} that names the
     *     variable but never quotes the surrounding text, which may be a secret
     */
    String apply(String text, boolean unsetIsEmpty) {
        if (!text.contains("${")) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "unclosed '${' (expected: ${NAME} or ${NAME:-default}; write $${ for a literal ${)");
                }
                out.append(resolve(text.substring(i + 2, end), unsetIsEmpty));
                i = end + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference, boolean unsetIsEmpty) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'${" + name + "}' is not a variable reference"
                    + " (expected: ${NAME} or ${NAME:-default}, NAME made of letters, digits and '_')");
        }
        String value = env.apply(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? reference.substring(separator + 2) : value;
        }
        if (value != null) {
            return value;
        }
        if (unsetIsEmpty) {
            return "";
        }
        throw new IllegalArgumentException("environment variable " + name + " is not set"
                + " (expected: set it, or give a default: ${" + name + ":-value})");
    }
}
