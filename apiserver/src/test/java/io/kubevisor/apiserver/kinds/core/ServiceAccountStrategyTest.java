package io.kubevisor.apiserver.kinds.core;

import static io.kubevisor.apiserver.kinds.Fixtures.created;
import static io.kubevisor.apiserver.kinds.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceAccountStrategyTest {

    private final ServiceAccountStrategy accounts = new ServiceAccountStrategy();

    @Test
    void secretReferencesKeepOnlyTheirNames() {
        var sa = created(accounts, json("""
                {"metadata":{"name":"builder","namespace":"default"},
                 "secrets":[{"name":"builder-token","namespace":"other","uid":"x"}]}"""));
        assertThat(sa.path("secrets").toString()).isEqualTo("[{\"name\":\"builder-token\"}]");
        assertThat(accounts.returnDeletedObject()).isTrue();
        assertThat(accounts.allowCreateOnUpdate()).isFalse();
    }
}
