package dev.tollgate.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code --name value} (or {@code --name=value}) options of one command. Every option takes a value; each
 * may appear once; positional arguments are not accepted.
 */
final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param command for messages
     * @param allowed option names without {@code --}
     * @throws UsageException on anything unexpected
     */
    static Options parse(String command, List<String> args, List<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' for " + command);
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option '--" + name + "' for " + command
                        + (allowed.isEmpty() ? " (it takes none)" : " (expected: " + dashed(allowed) + ")"));
            }
            @Nullable String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else {
                value = i + 1 < args.size() && !args.get(i + 1).startsWith("--") ? args.get(++i) : null;
            }
            if (value == null || value.isEmpty()) {
                throw new UsageException("option '--" + name + "' needs a value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException("option '--" + name + "' is given twice");
            }
        }
        return new Options(values);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String require(String name, String command) {
        return get(name).orElseThrow(() -> new UsageException(command + " needs --" + name));
    }

    private static String dashed(List<String> names) {
        return "--" + String.join(", --", names);
    }
}
