package io.kubevisor.apiserver.auth.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileAuthenticatorTest {

    private static Credentials token(String t) {
        return new Credentials(List.of(), t);
    }

    @Test
    void readsKubernetesTokenFileFormat() throws Exception {
        Path file = Files.createTempFile("tokens", ".csv");
        try {
            Files.writeString(file, """
                    31ada4fd-adec-460c-809a-9e56ceb75269,alice,1001,"devs,ops"
                    
                    tok-bob, bob , 1002
                    "tok,with,commas",carol,1003,"a ""quoted"" group",ignored-column
                    tok-dan,dan,1004,single
                    """);
            var authn = TokenFileAuthenticator.load(file);
            assertThat(authn.size()).isEqualTo(4);
            assertThat(authn.authenticate(token("31ada4fd-adec-460c-809a-9e56ceb75269"))).hasValue(
                    new UserInfo("alice", "1001", List.of("devs", "ops", UserInfo.AUTHENTICATED), java.util.Map.of()));
            // Leading spaces are trimmed as Go's csv TrimLeadingSpace does; trailing ones are kept.
            assertThat(authn.authenticate(token("tok-bob")).orElseThrow().name()).isEqualTo("bob ");
            assertThat(authn.authenticate(token("tok,with,commas")).orElseThrow().groups())
                    .containsExactly("a \"quoted\" group", UserInfo.AUTHENTICATED);
            assertThat(authn.authenticate(token("tok-dan")).orElseThrow().groups())
                    .containsExactly("single", UserInfo.AUTHENTICATED);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void unknownOrMissingTokenIsNotAuthenticated() {
        var authn = TokenFileAuthenticator.parse("t", "secret,alice,1\n");
        assertThat(authn.authenticate(token("Secret"))).isEmpty();
        assertThat(authn.authenticate(token("secret "))).isEmpty();
        assertThat(authn.authenticate(Credentials.none())).isEmpty();
    }

    @Test
    void laterLineWinsForARepeatedToken() {
        var authn = TokenFileAuthenticator.parse("t", "same,alice,1\nsame,bob,2\n");
        assertThat(authn.authenticate(token("same")).orElseThrow().name()).isEqualTo("bob");
    }

    @Test
    void rejectsLinesWithTooFewColumns() {
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("/etc/tokens.csv", "good,alice,1\nbad,bob\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token file '/etc/tokens.csv' line 2: must have at least 3 columns "
                        + "(token, user name, user uid), found 2");
    }

    @Test
    void rejectsBrokenQuotingAndEmptyFields() {
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("f", "t,alice,1,\"devs\n"))
                .hasMessage("token file 'f' line 1: unterminated quoted field in column 4");
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("f", "t,al\"ice,1\n"))
                .hasMessage("token file 'f' line 1: bare \" in non-quoted field in column 2");
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("f", ",alice,1\n"))
                .hasMessage("token file 'f' line 1: empty token");
        assertThatThrownBy(() -> TokenFileAuthenticator.parse("f", "t,,1\n"))
                .hasMessage("token file 'f' line 1: empty user name");
    }

    @Test
    void missingFileIsAStartupError(@TempDir Path dir) {
        assertThatThrownBy(() -> TokenFileAuthenticator.load(dir.resolve("nope.csv")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("nope.csv");
    }
}
