package dev.tollgate.core.pricing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test catalogs under {@code src/test/resources/pricing}. */
final class TestCatalogs {

    private TestCatalogs() {}

    static Path path(String name) {
        URL url = TestCatalogs.class.getResource("/pricing/" + name);
        if (url == null) {
            throw new AssertionError("no test resource pricing/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Catalog load(String name) {
        try {
            return Catalog.load(path(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
