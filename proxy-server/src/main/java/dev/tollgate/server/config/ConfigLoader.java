package dev.tollgate.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates Tollgate's YAML configuration (CONTRACT.md §4).
 *
 * <pre>{@code
 * ProxyConfig config = new ConfigLoader(System::getenv).load(Path.of("tollgate.yaml"));
 * }</pre>
 *
 * <p>Environment references in scalar values are substituted after parsing: {@code ${NAME}} and
 * {@code ${NAME:-default}} (the default applies when {@code NAME} is unset or empty); {@code $${} writes a literal
 * {@code ${}. A {@code ${NAME}} whose variable is unset is an error naming it, with one exception: a route's
 * {@code api_key} then means "no key", like an empty one, so the contract's example config starts without every
 * provider's key set.
 *
 * <p>Everything is checked before a {@link ProxyConfig} is returned; the first problem found is thrown as a
 * {@link ConfigException} naming the file, line, column and key path. A loader holds no mutable state and may be
 * shared between threads.
 */
public final class ConfigLoader {

    /** Classpath location of the config used when no {@code --config} is given. */
    public static final String DEFAULT_CONFIG_RESOURCE = "/dev/tollgate/server/config/default-config.yaml";

    private final Function<String, @Nullable String> env;

    /** @param env environment lookup, {@code System::getenv} in production; returns null for unset variables */
    public ConfigLoader(Function<String, @Nullable String> env) {
        this.env = env;
    }

    /** Reads {@code file} (UTF-8); a missing or unreadable file is a {@link ConfigException} too. */
    public ProxyConfig load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, 0, 0, "", "file not found", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(source, 0, 0, "", "permission denied", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, 0, 0, "", "not UTF-8 text", e);
        } catch (IOException e) {
            String problem = Files.isDirectory(file) ? "a directory (expected: a YAML file)" : "cannot read: " + e;
            throw new ConfigException(source, 0, 0, "", problem, e);
        }
        return parse(yaml, source);
    }

    /** The config built into the jar; its {@link ProxyConfig#source()} is {@link ProxyConfig#EMBEDDED_DEFAULT}. */
    public ProxyConfig loadDefault() {
        return parse(defaultConfigText(), ProxyConfig.EMBEDDED_DEFAULT);
    }

    /**
     * Parses YAML text.
     *
     * @param sourceName how messages name the text, usually its file path
     */
    public ProxyConfig parse(String yaml, String sourceName) {
        var binding = new Binding(sourceName, new EnvSubstitution(env));
        return new ConfigBinder(binding).bind(new YamlTreeReader(sourceName).read(yaml));
    }

    /** The embedded default config as text, comments included (for {@code check-config} and documentation). */
    public static String defaultConfigText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_CONFIG_RESOURCE + " (a broken build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
