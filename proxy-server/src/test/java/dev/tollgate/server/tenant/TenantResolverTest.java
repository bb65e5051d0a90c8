package dev.tollgate.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.tenant.KeyHash;
import dev.tollgate.core.tenant.TenantId;
import dev.tollgate.server.config.IdentifyBy;
import dev.tollgate.server.config.TenantConfig;
import dev.tollgate.server.config.TenantsConfig;
import dev.tollgate.server.config.UnknownTenantPolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantResolverTest {

    static final String ACME_KEY = "tg-acme-0123456789abcdef";
    static final String ACME_SECOND_KEY = "tg-acme-rotated-key";
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");

    final TenantResolver resolver = resolver(List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER), UnknownTenantPolicy.REJECT);

    @Test
    void aVirtualKeyInEitherHeaderStyleNamesItsTenant() {
        assertByKey(resolver.resolve(headers("Authorization", "Bearer " + ACME_KEY)), ACME);
        assertByKey(resolver.resolve(headers("authorization", "bearer " + ACME_KEY)), ACME);
        assertByKey(resolver.resolve(headers("Authorization", "Bearer   " + ACME_KEY + "  ")), ACME);
        assertByKey(resolver.resolve(headers("x-api-key", ACME_KEY)), ACME);
        assertByKey(resolver.resolve(headers("X-Api-Key", " " + ACME_SECOND_KEY)), ACME);
    }

    @Test
    void aVirtualKeyCannotBeOverriddenByTheTenantHeader() {
        assertByKey(resolver.resolve(headers("Authorization", "Bearer " + ACME_KEY, "X-Tollgate-Tenant", "globex")), ACME);
    }

    @Test
    void anUnknownVirtualKeyIsRefusedEvenWhenUnknownTenantsAreAttributed() {
        TenantResolver attributing = resolver(List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER), UnknownTenantPolicy.ATTRIBUTE);
        for (TenantResolver r : List.of(resolver, attributing)) {
            TenantResolver.Resolution resolution = r.resolve(headers("x-api-key", "tg-not-a-key", "X-Tollgate-Tenant", "globex"));
            assertThat(resolution.tenant()).isNull();
            assertThat(resolution.refusal()).isNotBlank().doesNotContain("tg-not-a-key");
        }
    }

    @Test
    void aProviderKeyIsNotAVirtualKeySoTheHeaderDecides() {
        TenantResolver.Resolution resolution = resolver.resolve(
                headers("Authorization", "Bearer sk-proj-abc", "X-Tollgate-Tenant", "globex"));
        assertThat(resolution.tenant()).isEqualTo(GLOBEX);
        assertThat(resolution.byVirtualKey()).as("the client's own key passes through").isFalse();

        TenantResolver.Resolution basic = resolver.resolve(headers("Authorization", "Basic dGctZm9vOmJhcg==",
                "X-Tollgate-Tenant", "acme"));
        assertThat(basic.tenant()).isEqualTo(ACME);
        assertThat(basic.byVirtualKey()).isFalse();
    }

    @Test
    void headerModeNamesAConfiguredTenant() {
        TenantResolver.Resolution resolution = resolver.resolve(headers("x-tollgate-tenant", "  globex "));
        assertThat(resolution.tenant()).isEqualTo(GLOBEX);
        assertThat(resolution.byVirtualKey()).isFalse();
        assertThat(resolution.refusal()).isNull();
    }

    @Test
    void unknownOrMissingTenantsAreRefusedOrAttributedAsConfigured() {
        TenantResolver attributing = resolver(List.of(IdentifyBy.VIRTUAL_KEY, IdentifyBy.HEADER), UnknownTenantPolicy.ATTRIBUTE);

        assertThat(resolver.resolve(headers("X-Tollgate-Tenant", "initech")).tenant()).isNull();
        assertThat(resolver.resolve(headers("X-Tollgate-Tenant", "initech")).refusal()).contains("X-Tollgate-Tenant");
        assertThat(resolver.resolve(headers()).tenant()).isNull();
        assertThat(resolver.resolve(headers()).refusal()).contains("virtual key");

        assertThat(attributing.resolve(headers("X-Tollgate-Tenant", "initech")).tenant()).isEqualTo(TenantId.UNATTRIBUTED);
        assertThat(attributing.resolve(headers()).tenant()).isEqualTo(TenantId.UNATTRIBUTED);
        assertThat(attributing.resolve(headers()).byVirtualKey()).isFalse();
    }

    @Test
    void onlyTheConfiguredModesAreTried() {
        TenantResolver keysOnly = resolver(List.of(IdentifyBy.VIRTUAL_KEY), UnknownTenantPolicy.REJECT);
        assertThat(keysOnly.resolve(headers("X-Tollgate-Tenant", "globex")).tenant()).isNull();
        assertByKey(keysOnly.resolve(headers("x-api-key", ACME_KEY)), ACME);

        TenantResolver headerOnly = resolver(List.of(IdentifyBy.HEADER), UnknownTenantPolicy.REJECT);
        assertThat(headerOnly.resolve(headers("Authorization", "Bearer " + ACME_KEY)).tenant()).isNull();
        assertThat(headerOnly.resolve(headers("X-Tollgate-Tenant", "acme")).tenant()).isEqualTo(ACME);
    }

    @Test
    void aCustomTenantHeaderIsHonoured() {
        TenantsConfig config = new TenantsConfig(List.of(IdentifyBy.HEADER), "X-Team", UnknownTenantPolicy.REJECT, List.of(),
                tenants());
        TenantResolver custom = new TenantResolver(config);
        assertThat(custom.resolve(headers("x-team", "globex")).tenant()).isEqualTo(GLOBEX);
        assertThat(custom.resolve(headers("X-Tollgate-Tenant", "globex")).tenant()).isNull();
    }

    @Test
    void configuredTenantsAreTheBoundedLabelSet() {
        assertThat(resolver.configuredTenants()).containsExactlyInAnyOrder(ACME, GLOBEX);
    }

    private static void assertByKey(TenantResolver.Resolution resolution, TenantId tenant) {
        assertThat(resolution.tenant()).isEqualTo(tenant);
        assertThat(resolution.byVirtualKey()).isTrue();
        assertThat(resolution.refusal()).isNull();
    }

    private static TenantResolver resolver(List<IdentifyBy> modes, UnknownTenantPolicy unknown) {
        return new TenantResolver(new TenantsConfig(modes, TenantsConfig.DEFAULT_HEADER, unknown, List.of(), tenants()));
    }

    private static List<TenantConfig> tenants() {
        return List.of(
                new TenantConfig(ACME, List.of(KeyHash.of(ACME_KEY), KeyHash.of(ACME_SECOND_KEY)), List.of()),
                new TenantConfig(GLOBEX, List.of(), List.of()));
    }

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders headers = new DefaultHttpHeaders(false); // values as a lenient client may send them
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }
}
