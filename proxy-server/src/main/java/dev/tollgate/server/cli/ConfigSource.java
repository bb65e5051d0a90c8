package dev.tollgate.server.cli;

import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Loads the config that {@code --config} names, or the embedded default without it. */
final class ConfigSource {

    private ConfigSource() {}

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
