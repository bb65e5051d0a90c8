package dev.tollgate.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** How enum constants are written in the config file: lower case, '_' kept ({@code ALERT_ONLY → alert_only}). */
final class ConfigNames {

    private ConfigNames() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** "a, b or c", for messages. */
    static <E extends Enum<E>> String choices(Class<E> type) {
        return orList(Arrays.stream(type.getEnumConstants()).map(ConfigNames::of).collect(Collectors.toList()));
    }

    /** "a, b or c". */
    static String orList(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
