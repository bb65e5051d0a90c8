package dev.tollgate.server.cli;

import dev.tollgate.server.config.ConfigException;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Loads the config that {@code --config} names, or the embedded default without it. */
final class ConfigSource {

    private ConfigSource() {}

    /**
     * The config, or null after printing why it is bad ({@code file:line:column: key: problem}, as
     * compilers print it, so editors can jump there; never a stack trace).
     */
    static @Nullable ProxyConfig loadOrReport(Options options, Function<String, @Nullable String> env, PrintStream err) {
        try {
            return load(options, new ConfigLoader(env));
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return null;
        }
    }

    /** @throws dev.tollgate.server.config.ConfigException for a bad file */
    static ProxyConfig load(Options options, ConfigLoader loader) {
        String file = options.get("config").orElse(null);
        if (file == null) {
            return loader.loadDefault();
        }
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new UsageException("--config '" + file + "' is not a file path");
        }
        return loader.load(path);
    }
}
