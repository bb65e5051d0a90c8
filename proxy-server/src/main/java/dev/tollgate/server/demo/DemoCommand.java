package dev.tollgate.server.demo;

import dev.tollgate.server.Tollgate;
import dev.tollgate.server.Transport;
import dev.tollgate.server.config.ConfigLoader;
import dev.tollgate.server.config.ProxyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate demo}: the proxy in front of a {@link SimulatedUpstream}, with
 * {@link SyntheticTraffic} flowing through it until the process is stopped. No API key needed.
 */
public final class DemoCommand {

    static final String CONFIG_RESOURCE = "/dev/tollgate/server/demo/demo-config.yaml";

    private DemoCommand() {}

    /** The demo's config, with the simulated upstream's address filled in. */
    public static ProxyConfig config(String upstreamUri, Function<String, @Nullable String> env) {
        Function<String, @Nullable String> demoEnv = name -> "DEMO_UPSTREAM".equals(name) ? upstreamUri : env.apply(name);
        return new ConfigLoader(demoEnv).parse(configText(), "<demo config>");
    }

    /** Runs until the JVM is asked to stop. */
    public static void run(Function<String, @Nullable String> env, PrintStream out) throws Exception {
        Transport transport = Transport.best();
        try (SimulatedUpstream upstream = SimulatedUpstream.start(transport)) {
            ProxyConfig config = config(upstream.uri(), env);
            try (Tollgate tollgate = Tollgate.start(config);
                    SyntheticTraffic traffic = new SyntheticTraffic(URI.create("http://127.0.0.1:" + tollgate.proxyPort()))) {
                out.printf("Tollgate demo: proxy on http://127.0.0.1:%d, metrics on http://127.0.0.1:%d/metrics%n",
                        tollgate.proxyPort(), tollgate.adminPort());
                out.println("Simulated OpenAI and Anthropic upstream; tenants acme, globex and initech (initech runs over"
                        + " its daily budget). Ctrl-C to stop.");
                traffic.start(5, Duration.ofSeconds(15), out);
                Thread stop = new Thread(() -> {
                    traffic.close();
                    tollgate.close();
                }, "tollgate-demo-shutdown");
                Runtime.getRuntime().addShutdownHook(stop);
                tollgate.awaitClose();
            }
        }
    }

    private static String configText() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + CONFIG_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
